#include "gui/LiveFeedController.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <variant>

#include "core/Json.hpp"
#include "stages/eeg/DecisionRecord.hpp"

namespace streamdx {

namespace {

constexpr MonoNs kRedrawEveryNs = 250'000'000;  // redraw at least this often (the age ticks)
constexpr double kLaggingS = 2.0;               // older than this, the status says LAGGING

std::int64_t wall_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

LiveFeedController::LiveFeedController(ZmqEndpoint endpoint, ViewerModel& model,
                                       ViewerWindow& window)
    : receiver_(std::move(endpoint)), model_(model), window_(window) {
  window_.set_status(QString("waiting for %1 …").arg(QString::fromStdString(receiver_.endpoint())));
  QObject::connect(&timer_, &QTimer::timeout, [this] { tick(); });
  timer_.start(kTickMs);
}

void LiveFeedController::tick() {
  const bool decisions = drain_decisions();
  const bool signal = drain_signal();
  const MonoNs now = monotonic_ns();
  // Between frames the view keeps scrolling with the clock, up to one frame ahead.
  const double lead_s =
      ended_ || newest_arrival_ns_ == 0
          ? 0.0
          : std::min(static_cast<double>(now - newest_arrival_ns_) / 1e9, frame_s_);
  window_.set_live_lead(lead_s);
  if (signal || decisions || lead_s > 0 || now - last_redraw_ns_ >= kRedrawEveryNs) {
    window_.refresh();
    last_redraw_ns_ = now;
    ++fps_window_redraws_;
  }
  if (now - fps_window_start_ns_ >= 1'000'000'000) {
    fps_ = static_cast<double>(fps_window_redraws_) * 1e9 /
           static_cast<double>(now - fps_window_start_ns_);
    fps_window_start_ns_ = now;
    fps_window_redraws_ = 0;
  }
  window_.set_status(status_text());
}

bool LiveFeedController::drain_decisions() {
  bool any = false;
  // Only what is queued now: a flood never starves the redraw.
  for (std::uint64_t n = receiver_.decision_ring().size(); n > 0; --n) {
    auto item = receiver_.decision_ring().try_pop();
    if (!item) break;
    if (auto* frame = std::get_if<Frame>(&item->value->message)) {
      if (frame->samples.size() >= kDecisionFields) {
        record_decision(*frame, model_.epochs);
        last_decision_ = std::move(*frame);
        have_decision_ = true;
        ++epochs_shown_;
        any = true;
      }
    } else if (std::holds_alternative<wire::EndOfStream>(item->value->message)) {
      ended_ = true;
      any = true;
    }
  }
  return any;
}

bool LiveFeedController::drain_signal() {
  bool any = false;
  for (std::uint64_t n = receiver_.signal_ring().size(); n > 0; --n) {
    auto item = receiver_.signal_ring().try_pop();
    if (!item) break;
    if (auto* header = std::get_if<wire::StreamHeader>(&item->value->message)) {
      if (header->labels != model_.labels || header->sample_rate_hz != rate_hz_) {
        model_.labels = header->labels;
        rate_hz_ = header->sample_rate_hz;
        model_.history =
            TraceHistory(model_.labels.size(), rate_hz_,
                         static_cast<std::size_t>(std::ceil(kHistorySeconds * rate_hz_)));
      }
    } else if (auto* frame = std::get_if<Frame>(&item->value->message)) {
      show_frame(*frame);
      any = true;
    }
  }
  return any;
}

void LiveFeedController::show_frame(const Frame& frame) {
  // Frames before the first header cannot be placed: their channels are unknown.
  if (rate_hz_ <= 0 || frame.shape.channels != model_.history.channels()) return;
  const auto first = static_cast<std::int64_t>(
      std::llround(static_cast<double>(frame.first_sample_ns) * rate_hz_ / 1e9));
  model_.history.append(first, frame.samples, frame.shape.samples_per_channel);
  newest_origin_ns_ = frame.origin_ns();
  newest_arrival_ns_ = monotonic_ns();
  frame_s_ = frame.shape.samples_per_channel / rate_hz_;
  if (!model_.wall_origin_ms && newest_origin_ns_ > 0) {
    // Recording time 0 on the wall clock: when this frame became available, minus its time.
    const double age_ms = static_cast<double>(monotonic_ns() - newest_origin_ns_) / 1e6;
    model_.wall_origin_ms =
        wall_now_ms() - static_cast<std::int64_t>(age_ms) - frame.first_sample_ns / 1'000'000 -
        static_cast<std::int64_t>(1000.0 * frame.shape.samples_per_channel / rate_hz_);
  }
  ++frames_shown_;
}

QString LiveFeedController::status_text() const {
  if (model_.history.empty()) {
    return QString("waiting for %1 … (dropped for display %2)")
        .arg(QString::fromStdString(receiver_.endpoint()))
        .arg(stats().dropped_for_display);
  }
  std::string s;
  const double age_s = static_cast<double>(monotonic_ns() - newest_origin_ns_) / 1e9;
  if (ended_) {
    s = "ENDED · the stream finished";
  } else if (age_s >= 0 && age_s < 3600) {
    s = fmt::format("{} · newest sample {:.2f} s old", age_s > kLaggingS ? "LAGGING" : "LIVE",
                    age_s);
  } else {
    s = "LIVE";
  }
  if (have_decision_) {
    // From the stamps of the newest decision: how long after its signal became available it
    // was published, and how much of that each stage held it (feature and model windows
    // included, which is most of it).
    const auto stamps = last_decision_.stage_stamps();
    if (stamps.size() >= 2) {
      s += fmt::format(" · decision {:.2f} s after its signal (",
                       static_cast<double>(stamps.back().t_ns - stamps.front().t_ns) / 1e9);
      for (std::size_t i = 1; i < stamps.size(); ++i) {
        s += fmt::format("{}{} {:.1f} ms", i > 1 ? ", " : "", stamps[i].stage(),
                         static_cast<double>(stamps[i].t_ns - stamps[i - 1].t_ns) / 1e6);
      }
      s += ")";
    }
  }
  s += fmt::format(" · dropped for display {} · {:.0f} fps", stats().dropped_for_display, fps_);
  return QString::fromStdString(s);
}

LiveFeedStats LiveFeedController::stats() const {
  LiveFeedStats st;
  st.messages_received = receiver_.received();
  st.signal_frames_shown = frames_shown_;
  st.epochs_shown = epochs_shown_;
  st.ring_dropped = receiver_.signal_ring().dropped() + receiver_.decision_ring().dropped();
  st.publisher_missed = receiver_.missed();
  st.dropped_for_display = st.ring_dropped + st.publisher_missed;
  st.malformed = receiver_.malformed();
  st.redraws = window_.redraws();
  st.stream_ended = ended_;
  return st;
}

std::string LiveFeedController::stats_json() const {
  const LiveFeedStats st = stats();
  const json::Json j = {{"messages_received", st.messages_received},
                        {"signal_frames_shown", st.signal_frames_shown},
                        {"epochs_shown", st.epochs_shown},
                        {"ring_dropped", st.ring_dropped},
                        {"publisher_missed", st.publisher_missed},
                        {"dropped_for_display", st.dropped_for_display},
                        {"malformed", st.malformed},
                        {"redraws", st.redraws},
                        {"stream_ended", st.stream_ended}};
  return json::text(j);
}

}  // namespace streamdx
