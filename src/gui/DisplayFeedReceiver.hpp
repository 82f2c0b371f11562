#pragma once
// DisplayFeedReceiver: the viewer's end of the display feed (io/DisplayFeed.hpp). A thread of
// its own subscribes, decodes and hands messages to the GUI thread through two bounded
// drop-oldest rings (core/SpscRing.hpp), so a GUI that stalls never backs anything up:
// - signal ring: headers and signal frames, 5 s of signal. When the GUI falls further behind,
//   the oldest frames go, counted, and the view shows the newest data;
// - decision ring: one message per 1 s epoch, 10 minutes' worth, so shading survives any
//   stall a person would sit through;
// - EPR ring: EPR images (and the end of an EPR run), 64 of them. A viewer behind by more loses
//   the oldest, counted; every image carries its projection, so only sinogram rows go missing.
// Frames missed before they reached the rings (the publisher's queue was full) show as jumps in
// the feed's per-topic counters and are counted too: missed(). Nothing leaves uncounted.
#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include "core/SpscRing.hpp"
#include "io/DisplayFeed.hpp"
#include "io/WireFormat.hpp"
#include "io/ZmqEndpoint.hpp"

namespace streamdx {

struct DisplayMessage {
  display::Topic topic = display::Topic::kSignal;
  wire::Message message;
};

class DisplayFeedReceiver {
 public:
  static constexpr std::size_t kSignalRingFrames = 50;
  static constexpr std::size_t kDecisionRingEpochs = 600;
  static constexpr std::size_t kEprRingImages = 64;
  // Messages ZeroMQ may hold for this viewer, and small kernel buffers: a stalled viewer makes
  // the publisher drop (and count) quickly instead of piling seconds up in between.
  static constexpr int kReceiveHighWaterMark = 10;
  static constexpr int kSocketBufferBytes = 32 * 1024;

  // Connects to `endpoint` (e.g. "tcp://127.0.0.1:5600") and starts receiving.
  explicit DisplayFeedReceiver(const std::string& endpoint);
  // The same with CURVE when `endpoint.curve_server_key` is set (a feed bound with
  // zmq.curve_key: docs/SECURITY.md).
  explicit DisplayFeedReceiver(ZmqEndpoint endpoint);
  ~DisplayFeedReceiver();
  DisplayFeedReceiver(const DisplayFeedReceiver&) = delete;
  DisplayFeedReceiver& operator=(const DisplayFeedReceiver&) = delete;

  SpscRing<DisplayMessage>& signal_ring() { return signal_ring_; }
  SpscRing<DisplayMessage>& decision_ring() { return decision_ring_; }
  SpscRing<DisplayMessage>& epr_ring() { return epr_ring_; }
  [[nodiscard]] const SpscRing<DisplayMessage>& signal_ring() const { return signal_ring_; }
  [[nodiscard]] const SpscRing<DisplayMessage>& decision_ring() const { return decision_ring_; }

  [[nodiscard]] std::uint64_t received() const noexcept { return received_.load(); }
  // Messages the publisher sent that never arrived (counter gaps), all topics.
  [[nodiscard]] std::uint64_t missed() const noexcept { return missed_.load(); }
  // Malformed messages skipped; the last reason is kept for the status line.
  [[nodiscard]] std::uint64_t malformed() const noexcept { return malformed_.load(); }
  [[nodiscard]] std::string endpoint() const { return endpoint_.address; }

 private:
  void receive_loop(const std::stop_token& stop);
  void receive_until(const std::stop_token& stop);

  ZmqEndpoint endpoint_;
  SpscRing<DisplayMessage> signal_ring_{kSignalRingFrames, FullPolicy::kDropOldest};
  SpscRing<DisplayMessage> decision_ring_{kDecisionRingEpochs, FullPolicy::kDropOldest};
  SpscRing<DisplayMessage> epr_ring_{kEprRingImages, FullPolicy::kDropOldest};
  std::atomic<std::uint64_t> received_{0};
  std::atomic<std::uint64_t> missed_{0};
  std::atomic<std::uint64_t> malformed_{0};
  std::array<std::uint64_t, display::kTopics> next_counter_{};
  std::array<bool, display::kTopics> seen_topic_{};
  std::jthread thread_;
};

}  // namespace streamdx
