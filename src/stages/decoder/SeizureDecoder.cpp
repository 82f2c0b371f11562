#include "stages/decoder/SeizureDecoder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace streamdx {

SeizureDecoder::SeizureDecoder(std::shared_ptr<SeizureModel> model) : model_(std::move(model)) {
  if (!model_) throw std::invalid_argument("SeizureDecoder needs a model");
}

StreamInfo SeizureDecoder::configure(const StreamInfo& in) {
  if (in.shape.samples_per_channel != model_->encoding_size() || in.sample_rate_hz != 1.0) {
    throw std::runtime_error(fmt::format(
        "the decoder needs the encoder's epoch frames ({} values per channel, 1 per second); "
        "this stream has {} values per channel at {} Hz",
        model_->encoding_size(), in.shape.samples_per_channel, in.sample_rate_hz));
  }
  windows_ = EpochWindows::of_encodings(in.shape.channels, model_->encoding_size());
  return StreamInfo{in.stream_id,
                    FrameShape{in.shape.channels, static_cast<std::uint16_t>(decoder::kClasses)},
                    1.0};
}

bool SeizureDecoder::process(std::span<const float> in, std::span<float> out) {
  windows_.push_encoded(in);
  model_->decode_steps(windows_.steps(), windows_.step_size(), windows_.channels(), out);
  return true;
}

std::optional<std::size_t> SeizureDecoder::gather(std::span<const float> in, DecodeBatch& batch) {
  if (batch.model == nullptr) batch.model = model_.get();
  if (batch.model != model_.get()) {
    throw std::logic_error("SeizureDecoder::gather: a batch decodes with one model instance");
  }
  windows_.push_encoded(in);
  windows_.append_windows(batch.windows);
  const std::size_t slot = batch.rows;
  batch.rows += windows_.channels();
  return slot;
}

void copy_posteriors(std::span<const float> posteriors, std::size_t slot, std::span<float> out) {
  const auto from = posteriors.begin() + static_cast<std::ptrdiff_t>(slot * decoder::kClasses);
  std::copy(from, from + static_cast<std::ptrdiff_t>(out.size()), out.begin());
}

void SeizureDecoder::scatter(const DecodeBatch& batch, std::size_t slot,
                             std::span<float> out) const {
  copy_posteriors(batch.posteriors, slot, out);
}

void DecodeBatch::run() {
  if (rows == 0) return;
  posteriors.resize(rows * decoder::kClasses);
  model->decode_windows(windows, rows, posteriors);
}

}  // namespace streamdx
