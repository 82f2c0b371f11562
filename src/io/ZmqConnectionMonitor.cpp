#include "io/ZmqConnectionMonitor.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cstring>
#include <stdexcept>

#include "io/ZmqEndpoint.hpp"

namespace streamdx {

namespace {

constexpr int kEvents = ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_DISCONNECTED |
                        ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL |
                        ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH;

// Printable, on one line: the peer address comes from the network.
std::string printable(std::string text) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return text;
}

}  // namespace

ZmqConnectionMonitor::ZmqConnectionMonitor(zmq::socket_t& socket, std::string what,
                                           std::function<void(Event)> on_event)
    : watched_(&socket),
      what_(std::move(what)),
      on_event_(std::move(on_event)),
      events_(zmq_context(), zmq::socket_type::pair) {
  // Unique in the process: the shared context releases a closed monitor's name asynchronously.
  static std::atomic<std::uint64_t> monitors{0};
  const std::string address =
      fmt::format("inproc://streamdx-connection-monitor-{}", monitors.fetch_add(1));
  if (zmq_socket_monitor(watched_->handle(), address.c_str(), kEvents) != 0) {
    throw std::runtime_error(
        fmt::format("cannot monitor {}: {}", what_, zmq_strerror(zmq_errno())));
  }
  events_.set(zmq::sockopt::linger, 0);
  events_.connect(address);
}

ZmqConnectionMonitor::~ZmqConnectionMonitor() {
  if (watched_->handle() != nullptr) zmq_socket_monitor(watched_->handle(), nullptr, 0);
}

void ZmqConnectionMonitor::poll() {
  for (;;) {
    zmq::message_t event;
    if (!events_.recv(event, zmq::recv_flags::dontwait)) return;
    zmq::message_t peer;
    if (event.more()) (void)events_.recv(peer);
    if (event.size() < 6) continue;
    std::uint16_t id = 0;
    std::memcpy(&id, event.data(), sizeof id);
    // A connection is a peer once its handshake succeeds. One that fails says so, or (ZMTP 1.0
    // greetings, refused for the ZAP domain) is only closed: a disconnect while connections are
    // still unconfirmed is a refusal. Under concurrent connections the attribution can be off by
    // one at a time; the counts come out right.
    const char* why = "protocol error";
    switch (id) {
      case ZMQ_EVENT_ACCEPTED: ++unconfirmed_; continue;
      case ZMQ_EVENT_HANDSHAKE_SUCCEEDED:
        if (unconfirmed_ > 0) --unconfirmed_;
        if (on_event_) on_event_(Event::kAccepted);
        continue;
      case ZMQ_EVENT_DISCONNECTED:
        if (failed_awaiting_close_ > 0) {
          --failed_awaiting_close_;
          continue;
        }
        if (unconfirmed_ == 0) {
          if (on_event_) on_event_(Event::kDisconnected);
          continue;
        }
        --unconfirmed_;
        why = "closed before completing a ZeroMQ handshake";
        break;
      default:
        if (unconfirmed_ > 0) --unconfirmed_;
        ++failed_awaiting_close_;
        why = id == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL ? "protocol error"
              : id == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH   ? "authentication"
                                                        : "no detail";
    }
    if (on_event_) on_event_(Event::kRefused);
    ++refused_;
    if (refused_ <= kLoggedInFull || refused_ % 1000 == 0) {
      spdlog::warn(
          "{}: refused a connection on {}: its handshake failed ({}) - not a streamdx peer, or "
          "one without the right CURVE key; nothing it sent was read ({} so far)",
          what_, printable(peer.to_string()), why, refused_);
    }
  }
}

}  // namespace streamdx
