#include "stages/eeg/EegPreprocessor.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <stdexcept>

namespace streamdx {

namespace {
// Onsets closer than this to where the previous block ended are contiguous (EDF writers round).
constexpr double kGapToleranceS = 1e-6;
}  // namespace

EegPreprocessor::EegPreprocessor(MontagePlan plan, std::vector<std::string> input_labels,
                                 double in_rate_hz, EegFrameSettings settings)
    : plan_(std::move(plan)),
      input_labels_(std::move(input_labels)),
      in_rate_(in_rate_hz),
      settings_(settings) {
  if (plan_.channels.empty())
    throw std::invalid_argument("preprocessor: the montage has no channels");
  if (!(in_rate_hz >= kMinInputRateHz && in_rate_hz <= kMaxInputRateHz)) {
    throw std::invalid_argument(fmt::format("sample rate {} Hz is outside {:g} to {:g} Hz",
                                            in_rate_hz, kMinInputRateHz, kMaxInputRateHz));
  }
  position_of_input_.assign(input_labels_.size(), 0);
  for (std::size_t k = 0; k < plan_.used_inputs.size(); ++k)
    position_of_input_.at(plan_.used_inputs[k]) = k;
  start_segment(0.0);
}

void EegPreprocessor::start_segment(double onset_s) {
  resampler_ = std::make_unique<Resampler>(in_rate_, settings_.out_rate_hz, channels());
  segment_onset_s_ = onset_s;
  segment_frames_ = 0;
}

void EegPreprocessor::start_at_input(std::int64_t first_input) {
  if (expected_onset_s_ >= 0) throw std::logic_error("preprocessor: start_at_input() after input");
  resampler_->start_at(first_input);
  const std::int64_t first_output = resampler_->next_output_index();
  if (first_output % settings_.frame_samples != 0) {
    throw std::invalid_argument(
        fmt::format("input sample {} at {} Hz does not begin a {}-sample frame", first_input,
                    in_rate_, settings_.frame_samples));
  }
  segment_onset_s_ = 0;
  segment_frames_ = static_cast<std::uint64_t>(first_output / settings_.frame_samples);
  started_at_input_ = true;
}

void EegPreprocessor::end_segment() {
  resampler_->finish();
  cut_frames();
  counters_.dropped_partial_samples += resampler_->available();
}

void EegPreprocessor::push(std::span<const float> planar, std::size_t samples, double onset_s) {
  const std::size_t inputs = plan_.used_inputs.size();
  if (planar.size() != inputs * samples) {
    throw std::invalid_argument(fmt::format("preprocessor: {} values for {} inputs x {} samples",
                                            planar.size(), inputs, samples));
  }
  if (expected_onset_s_ >= 0 && onset_s > expected_onset_s_ + kGapToleranceS) {
    begin_after_gap(onset_s);
  } else if (expected_onset_s_ >= 0 && onset_s < expected_onset_s_ - kGapToleranceS) {
    throw std::runtime_error(
        fmt::format("block at {:.3f} s overlaps the previous one, which ended at {:.3f} s", onset_s,
                    expected_onset_s_));
  } else if (expected_onset_s_ < 0 && onset_s != 0.0 && !started_at_input_) {
    segment_onset_s_ = onset_s;
  }
  expected_onset_s_ = onset_s + static_cast<double>(samples) / in_rate_;

  // Montage: out[c] = sum of sign * in[term], refusing non-finite samples with where they are.
  mixed_.assign(channels() * samples, 0.0F);
  for (std::size_t c = 0; c < channels(); ++c) {
    float* out = mixed_.data() + c * samples;
    for (const MontageTerm& t : plan_.channels[c].terms) {
      const float* in = planar.data() + position_of_input_[t.input] * samples;
      for (std::size_t i = 0; i < samples; ++i) {
        if (!std::isfinite(in[i])) {
          throw std::runtime_error(fmt::format("non-finite sample ({}) in channel '{}' at {:.3f} s",
                                               in[i], input_labels_.at(t.input),
                                               onset_s + static_cast<double>(i) / in_rate_));
        }
        out[i] += t.sign * in[i];
      }
    }
  }
  resampler_->push(mixed_, samples);
  cut_frames();
}

void EegPreprocessor::begin_after_gap(double onset_s) {
  spdlog::warn("discontinuity: {:.3f} s missing before {:.3f} s; a new segment starts there",
               onset_s - expected_onset_s_, onset_s);
  end_segment();
  ++counters_.gaps;
  start_segment(onset_s);
  next_is_discontinuity_ = true;
}

void EegPreprocessor::cut_frames() {
  const std::size_t n = settings_.frame_samples;
  while (resampler_->available() >= n) {
    ReadyFrame f;
    f.samples.resize(channels() * n);
    resampler_->take(n, f.samples);
    const double t =
        segment_onset_s_ + static_cast<double>(segment_frames_ * n) / settings_.out_rate_hz;
    f.info.first_sample_ns = static_cast<std::int64_t>(std::llround(t * 1e9));
    f.info.flags = next_is_discontinuity_ ? kFrameDiscontinuity : 0U;
    next_is_discontinuity_ = false;
    ++segment_frames_;
    ready_.push_back(std::move(f));
  }
}

void EegPreprocessor::finish() {
  end_segment();
}

bool EegPreprocessor::pop(std::span<float> out, SourceBlockInfo& info) {
  if (ready_.empty()) return false;
  ReadyFrame& f = ready_.front();
  if (out.size() != f.samples.size())
    throw std::invalid_argument("preprocessor: frame buffer has the wrong size");
  std::copy(f.samples.begin(), f.samples.end(), out.begin());
  info = f.info;
  ready_.pop_front();
  ++counters_.frames;
  return true;
}

}  // namespace streamdx
