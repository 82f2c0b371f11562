#pragma once
// DisplayPublisher: the pipeline's side of the display feed (io/DisplayFeed.hpp). It must never
// slow the pipeline down, whatever the viewers do:
// - every send is non-blocking. The socket is an XPUB with ZMQ_XPUB_NODROP, so a full
//   high-water mark (a slow, frozen or closed viewer) makes the send fail at once instead of
//   dropping silently; the message is then counted in dropped() and the pipeline moves on;
// - several pipeline threads publish (the signal tap and the decision tap); a mutex guards the
//   socket. It is held only for non-blocking calls, a few microseconds.
// With no subscriber, nothing is queued and nothing counts as dropped.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "core/Frame.hpp"
#include "io/DisplayFeed.hpp"
#include "io/WireFormat.hpp"
#include "io/ZmqConnectionMonitor.hpp"
#include "io/ZmqEndpoint.hpp"

namespace streamdx {

class DisplayPublisher {
 public:
  // Binds (or connects) `endpoint`. `high_water_mark`: messages queued per viewer.
  DisplayPublisher(const ZmqEndpoint& endpoint, int high_water_mark);

  // The stream's labels and rate: sent now and repeated every `header_every` signal frames.
  void set_header(wire::StreamHeader header, std::uint64_t header_every);
  // Returns false when the message was dropped (counted) because no viewer could take it.
  bool publish(display::Topic topic, const Frame& frame);
  void publish_end(std::uint64_t frames_sent, display::Topic topic = display::Topic::kDecision);
  // An EPR image (sdx.epr.image); false when dropped (counted).
  bool publish(const wire::EprImage& image);

  // Waits up to `timeout_s` for the first subscription; true if one arrived.
  bool wait_for_subscriber(double timeout_s);

  [[nodiscard]] std::uint64_t sent() const;
  [[nodiscard]] std::uint64_t dropped() const;
  [[nodiscard]] std::string address() const { return address_; }

 private:
  bool send_locked(display::Topic topic, std::span<const std::uint8_t> message);
  void read_subscriptions_locked();  // never waits

  mutable std::mutex mutex_;
  zmq::socket_t socket_;
  std::unique_ptr<ZmqConnectionMonitor> monitor_;  // binds: refused handshakes are logged
  std::string address_;
  wire::StreamHeader header_;
  bool have_header_ = false;
  std::uint64_t header_every_ = 10;
  std::uint64_t signal_frames_ = 0;
  std::array<std::uint64_t, display::kTopics> counters_{};
  std::uint64_t sent_ = 0;
  std::uint64_t dropped_ = 0;
  std::uint64_t subscriptions_ = 0;
  std::vector<std::uint8_t> buffer_;
};

}  // namespace streamdx
