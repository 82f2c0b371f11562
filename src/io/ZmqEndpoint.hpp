#pragma once
// A ZeroMQ endpoint as the user writes it, CZMQ style:
//   "@tcp://127.0.0.1:5555"  bind        ">tcp://127.0.0.1:5555"  connect
//   "tcp://127.0.0.1:5555"   the side's default (senders bind, receivers connect)
// Transports: tcp, ipc, inproc. Binds stay on loopback unless the caller allows otherwise:
// without CURVE keys frames travel unauthenticated and unencrypted.
#include <optional>
#include <string>
#include <string_view>

#include <zmq.hpp>

#include "io/CurveKeys.hpp"

namespace streamdx {

enum class ZmqRole { kBind, kConnect };

struct ZmqEndpoint {
  std::string address;  // what zmq_bind / zmq_connect get
  ZmqRole role = ZmqRole::kConnect;
  // CURVE (CurveKeys.hpp): the binding side is the server, with its key pair; the connecting
  // side is a client that needs the server's public key (and a pair of its own: fresh if none).
  std::optional<CurveKeyPair> curve_keys;
  std::string curve_server_key;

  // Parses `spec`; throws std::invalid_argument with the reason. `default_role` applies when the
  // spec has no '@' or '>' prefix.
  static ZmqEndpoint parse(std::string_view spec, ZmqRole default_role, bool allow_public_bind);

  [[nodiscard]] std::string describe() const;  // e.g. "@tcp://127.0.0.1:5555"
  // A tcp bind on an address other than loopback: reachable from other machines.
  [[nodiscard]] bool binds_beyond_loopback() const;

  // Binds or connects `socket` as the role says, with CURVE when keys are set; throws
  // std::runtime_error naming the endpoint.
  void attach(zmq::socket_t& socket) const;
};

// True for "tcp://..." text, optionally prefixed with '@' or '>', and ipc/inproc likewise.
bool looks_like_zmq_endpoint(std::string_view spec) noexcept;

// The process-wide context; inproc endpoints only meet inside one context.
zmq::context_t& zmq_context();

}  // namespace streamdx
