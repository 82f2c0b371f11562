#include "io/ZmqEndpoint.hpp"

#include <fmt/format.h>

#include <charconv>
#include <stdexcept>

namespace streamdx {

namespace {

bool starts_with_transport(std::string_view s) {
  return s.starts_with("tcp://") || s.starts_with("ipc://") || s.starts_with("inproc://");
}

bool is_loopback_host(std::string_view host) {
  if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

}  // namespace

bool looks_like_zmq_endpoint(std::string_view spec) noexcept {
  if (spec.starts_with('@') || spec.starts_with('>')) spec.remove_prefix(1);
  return starts_with_transport(spec);
}

ZmqEndpoint ZmqEndpoint::parse(std::string_view spec, ZmqRole default_role,
                               bool allow_public_bind) {
  ZmqEndpoint ep;
  ep.role = default_role;
  std::string_view rest = spec;
  if (rest.starts_with('@')) {
    ep.role = ZmqRole::kBind;
    rest.remove_prefix(1);
  } else if (rest.starts_with('>')) {
    ep.role = ZmqRole::kConnect;
    rest.remove_prefix(1);
  }
  if (!starts_with_transport(rest)) {
    throw std::invalid_argument(
        fmt::format("'{}' is not a ZeroMQ endpoint (tcp://, ipc:// or inproc://)", spec));
  }
  ep.address = std::string(rest);
  if (rest.starts_with("tcp://")) {
    const std::string_view hostport = rest.substr(6);
    const std::size_t colon = hostport.rfind(':');
    if (colon == std::string_view::npos || colon + 1 == hostport.size()) {
      throw std::invalid_argument(fmt::format("'{}' has no port (tcp://HOST:PORT)", spec));
    }
    const std::string_view host = hostport.substr(0, colon);
    // ZeroMQ reads the port modulo 65536: 99999 would quietly become 34463.
    const std::string_view port = hostport.substr(colon + 1);
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    const bool wildcard = port == "*";
    if (!wildcard &&
        (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535)) {
      throw std::invalid_argument(fmt::format(
          "'{}': port '{}' is not a number from 1 to 65535 (or * to bind any)", spec, port));
    }
    if (ep.role == ZmqRole::kBind && !allow_public_bind && !is_loopback_host(host)) {
      throw std::invalid_argument(fmt::format(
          "refusing to bind {} beyond loopback without CURVE keys: make them with `streamdx "
          "keygen -o edge`, set zmq.curve_key = \"edge.key\" here and zmq.curve_server_key = "
          "\"edge.pub\" on the connecting side (or bind 127.0.0.1; zmq.allow_public_bind = true "
          "sends plain text, for a trusted network only)",
          rest));
    }
  }
  return ep;
}

bool ZmqEndpoint::binds_beyond_loopback() const {
  if (role != ZmqRole::kBind || !address.starts_with("tcp://")) return false;
  const std::string_view hostport = std::string_view(address).substr(6);
  return !is_loopback_host(hostport.substr(0, hostport.rfind(':')));
}

std::string ZmqEndpoint::describe() const {
  return (role == ZmqRole::kBind ? "@" : ">") + address;
}

void ZmqEndpoint::attach(zmq::socket_t& socket) const {
  try {
    if (role == ZmqRole::kBind && curve_keys) make_curve_server(socket, *curve_keys);
    // A peer whose first byte is not ZMTP 3's signature is taken for a ZMTP 1.0 peer, which has
    // no handshake to fail: a raw TCP client sending "GET / ..." became a peer, and a PUSH socket
    // dealt it frames (2 of 40 lost, found by the garbage test, issue 26). libzmq refuses ZMTP
    // 1.0 wherever ZAP is enabled, which a ZAP domain does for a plain socket; with no handler,
    // ZMTP 3 peers pass as before.
    if (role == ZmqRole::kBind && !curve_keys) socket.set(zmq::sockopt::zap_domain, "streamdx");
    if (role == ZmqRole::kConnect && !curve_server_key.empty()) {
      make_curve_client(socket, curve_server_key, curve_keys ? *curve_keys : make_curve_keys());
    }
    if (role == ZmqRole::kBind) {
      socket.bind(address);
    } else {
      socket.connect(address);
    }
  } catch (const zmq::error_t& e) {
    throw std::runtime_error(fmt::format("cannot open {}: {}", describe(), e.what()));
  }
}

zmq::context_t& zmq_context() {
  static zmq::context_t context(1);
  return context;
}

}  // namespace streamdx
