#pragma once
// DecoderConnection: one client's link to a decoder service (`streamdx serve`), a DEALER socket.
//
// decode() sends a set of requests and returns once every one is answered. Nothing is lost to a
// server that restarts or a connection that breaks: a request unanswered after resend_after is
// sent again (and at once after a "busy" reply, after a short back-off), a reply that matches
// no outstanding request (the answer to a request already answered, after a resend) is dropped
// and counted, and replies that arrive out of order are put in their requests' places. Only
// silence for give_up_after ends the wait, with an error naming the server.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "core/Json.hpp"
#include "io/CurveKeys.hpp"
#include "service/DecoderProtocol.hpp"

namespace streamdx::service {

struct ConnectionSettings {
  std::string address;  // a connect endpoint, e.g. tcp://127.0.0.1:5555
  std::chrono::milliseconds resend_after{1000};
  std::chrono::milliseconds give_up_after{60000};
  std::string server_key;                   // Z85; empty: no CURVE
  std::optional<CurveKeyPair> client_keys;  // with server_key; made fresh when absent
};

// Counts every connection of a run adds to, for run.json and the bench report.
struct ConnectionCounters {
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> resent{0};
  std::atomic<std::uint64_t> duplicates{0};  // replies dropped: already answered
  std::atomic<std::uint64_t> busy{0};
};

struct DecodeCall {
  RequestHead head;
  std::span<const float> encodings;  // head.channels x steps x encoding_size
  std::span<float> posteriors;       // head.channels x 2, filled by decode()
};

class DecoderConnection {
 public:
  DecoderConnection(const ConnectionSettings& settings, ConnectionCounters* counters = nullptr);

  // The server's hello (model, engine, encoding size) or its stats; waits up to give_up_after.
  json::Json hello();
  json::Json stats();

  // Sends every call's request and waits for all their replies. Throws std::runtime_error naming
  // the server when it answers with an error or stays silent for give_up_after.
  void decode(std::span<DecodeCall> calls);

 private:
  std::string ask(RequestKind kind);
  std::optional<Reply> receive(std::chrono::milliseconds wait);

  ConnectionSettings settings_;
  ConnectionCounters* counters_;
  ConnectionCounters own_counters_;
  zmq::socket_t socket_;
  std::vector<std::uint8_t> bytes_;
};

}  // namespace streamdx::service
