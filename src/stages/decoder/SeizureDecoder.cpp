#include "stages/decoder/SeizureDecoder.hpp"

#include <fmt/format.h>

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

}  // namespace streamdx
