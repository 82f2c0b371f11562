#include "stages/eeg/TimeStretchedSource.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "stages/eeg/Resampler.hpp"

namespace streamdx {

TimeStretchedSource::TimeStretchedSource(const std::vector<Frame>& frames, double factor) {
  if (!(factor > 0) || !std::isfinite(factor)) {
    throw std::invalid_argument(fmt::format("time stretch: factor {} is not positive", factor));
  }
  if (frames.empty()) return;
  info_.stream_id = frames[0].stream_id;
  info_.shape = frames[0].shape;
  info_.sample_rate_hz = frames[0].sample_rate_hz;
  std::vector<Run> runs;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    if (frames[i].shape != info_.shape || frames[i].sample_rate_hz != info_.sample_rate_hz) {
      throw std::invalid_argument(
          fmt::format("time stretch: frame {} has another shape or rate than frame 0", i));
    }
    if (runs.empty() || (frames[i].flags & kFrameDiscontinuity) != 0) {
      runs.push_back(Run{frames[i].first_sample_ns, i, 0});
    }
    ++runs.back().count;
  }
  for (const Run& run : runs) stretch_run(frames, run, factor);
}

void TimeStretchedSource::stretch_run(const std::vector<Frame>& frames, const Run& run,
                                      double factor) {
  const std::size_t channels = info_.shape.channels;
  const std::size_t per_frame = info_.shape.samples_per_channel;
  const double rate = info_.sample_rate_hz;
  // The run's samples, planar over the whole run.
  const std::size_t n = run.count * per_frame;
  std::vector<float> planar(channels * n);
  for (std::size_t f = 0; f < run.count; ++f) {
    const Frame& frame = frames[run.first + f];
    for (std::size_t c = 0; c < channels; ++c) {
      const auto ch = frame.channel(c);
      std::copy(ch.begin(), ch.end(),
                planar.begin() + static_cast<std::ptrdiff_t>(c * n + f * per_frame));
    }
  }
  std::vector<float> stretched;
  std::size_t m = n;
  if (factor == 1.0) {
    stretched = std::move(planar);
  } else {
    Resampler resampler(rate * factor, rate, channels);
    resampler.push(planar, n);
    resampler.finish();
    m = resampler.available();
    stretched.resize(channels * m);
    resampler.take(m, stretched);
  }
  // Whole frames only, as the acquisition cuts them; output sample k was recorded at
  // original time onset + k * factor / rate.
  const std::size_t out_frames = m / per_frame;
  for (std::size_t f = 0; f < out_frames; ++f) {
    for (std::size_t c = 0; c < channels; ++c) {
      const float* from = stretched.data() + c * m + f * per_frame;
      samples_.insert(samples_.end(), from, from + per_frame);
    }
    const double t_s = static_cast<double>(f * per_frame) * factor / rate;
    SourceBlockInfo block;
    block.first_sample_ns = run.onset_ns + static_cast<std::int64_t>(std::llround(t_s * 1e9));
    block.flags = f == 0 ? frames[run.first].flags : 0U;
    blocks_.push_back(block);
  }
}

std::optional<SourceBlockInfo> TimeStretchedSource::produce(std::span<float> out,
                                                            const std::stop_token& stop) {
  if (stop.stop_requested() || next_ >= blocks_.size()) return std::nullopt;
  const std::size_t size = info_.shape.sample_count();
  if (out.size() != size)
    throw std::invalid_argument("time stretch: output frame has the wrong size");
  const auto from = samples_.begin() + static_cast<std::ptrdiff_t>(next_ * size);
  std::copy(from, from + static_cast<std::ptrdiff_t>(size), out.begin());
  return blocks_[next_++];
}

}  // namespace streamdx
