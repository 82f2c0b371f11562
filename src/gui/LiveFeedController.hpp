#pragma once
// LiveFeedController: drives a live ViewerWindow from the display feed. On a ~30 Hz timer in
// the GUI thread it drains the receiver's rings (never blocking on them), folds the messages
// into the model, redraws, and writes the status line:
//   LIVE · newest sample 0.12 s old · lfcc 0.3 ms · decoder 1.2 ms · … · end to end 2.4 ms
//   · dropped for display 0 · 30 fps
// Ages and latencies come from the frames' stage stamps (CLOCK_MONOTONIC), so they are exact
// when the viewer runs on the pipeline's machine; across machines the age is not shown.
#include <QObject>
#include <QTimer>
#include <cstdint>
#include <string>

#include "core/Clock.hpp"
#include "core/Frame.hpp"
#include "gui/DisplayFeedReceiver.hpp"
#include "gui/ViewerModel.hpp"
#include "gui/ViewerWindow.hpp"

namespace streamdx {

struct LiveFeedStats {
  std::uint64_t messages_received = 0;
  std::uint64_t signal_frames_shown = 0;
  std::uint64_t epochs_shown = 0;
  std::uint64_t ring_dropped = 0;         // dropped oldest in the viewer's rings
  std::uint64_t publisher_missed = 0;     // never arrived (the publisher's queue was full)
  std::uint64_t dropped_for_display = 0;  // the two above together
  std::uint64_t malformed = 0;
  std::uint64_t redraws = 0;
  bool stream_ended = false;
};

class LiveFeedController {
 public:
  static constexpr int kTickMs = 33;
  static constexpr double kHistorySeconds = 120;  // twice the longest span

  LiveFeedController(ZmqEndpoint endpoint, ViewerModel& model, ViewerWindow& window);

  [[nodiscard]] LiveFeedStats stats() const;
  // The stats as a JSON object (for --stats and tests).
  [[nodiscard]] std::string stats_json() const;

 private:
  void tick();
  bool drain_signal();
  bool drain_decisions();
  void show_frame(const Frame& frame);
  [[nodiscard]] QString status_text() const;

  DisplayFeedReceiver receiver_;
  ViewerModel& model_;
  ViewerWindow& window_;
  QTimer timer_;
  double rate_hz_ = 0;
  MonoNs newest_origin_ns_ = 0;   // when the newest frame became available (its first stamp)
  MonoNs newest_arrival_ns_ = 0;  // when it reached this viewer
  double frame_s_ = 0.1;
  Frame last_decision_;  // its stamps give the per-stage latencies
  bool have_decision_ = false;
  bool ended_ = false;
  std::uint64_t frames_shown_ = 0;
  std::uint64_t epochs_shown_ = 0;
  MonoNs last_redraw_ns_ = 0;
  MonoNs fps_window_start_ns_ = 0;
  std::uint64_t fps_window_redraws_ = 0;
  double fps_ = 0;
};

}  // namespace streamdx
