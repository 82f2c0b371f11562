#pragma once
// ZmqConnectionMonitor: who connects to a bound socket, so that a connection ZeroMQ refuses is
// logged instead of dropped in silence. A raw TCP client sending garbage, a client speaking
// another protocol, or one without the right CURVE key fails its handshake: ZeroMQ closes it and
// nothing reaches the socket's owner, which is right, but the owner should know (issue 26).
//
// A ZeroMQ socket monitor publishes the events on an inproc pair; poll() reads what is pending
// without waiting, from the owning socket's thread (the owner calls it per message or per loop
// turn). Refused handshakes are logged the first kLoggedInFull times, then every 1000th, with the
// count, so a flood cannot flood the log.
#include <cstdint>
#include <functional>
#include <string>

#include <zmq.hpp>

namespace streamdx {

class ZmqConnectionMonitor {
 public:
  static constexpr std::uint64_t kLoggedInFull = 5;
  enum class Event { kAccepted, kDisconnected, kRefused };

  // Watches `socket` (which outlives this); `what` names it in the log ("display feed").
  // `on_event`, when given, hears every event too (the decoder service counts them).
  ZmqConnectionMonitor(zmq::socket_t& socket, std::string what,
                       std::function<void(Event)> on_event = nullptr);
  ~ZmqConnectionMonitor();
  ZmqConnectionMonitor(const ZmqConnectionMonitor&) = delete;
  ZmqConnectionMonitor& operator=(const ZmqConnectionMonitor&) = delete;

  // Handles every pending event; never waits.
  void poll();
  // The monitor's own socket, for an owner that waits in zmq_poll on it.
  [[nodiscard]] zmq::socket_t& events() { return events_; }
  [[nodiscard]] std::uint64_t refused() const noexcept { return refused_; }

 private:
  zmq::socket_t* watched_;
  std::string what_;
  std::function<void(Event)> on_event_;
  zmq::socket_t events_;
  std::uint64_t refused_ = 0;
  std::uint64_t unconfirmed_ = 0;            // accepted, handshake not yet over
  std::uint64_t failed_awaiting_close_ = 0;  // failed handshakes whose disconnect is to come
};

}  // namespace streamdx
