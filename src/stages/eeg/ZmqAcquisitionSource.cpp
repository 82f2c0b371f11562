#include "stages/eeg/ZmqAcquisitionSource.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace streamdx {

ZmqAcquisitionSource::ZmqAcquisitionSource(std::unique_ptr<ZmqFrameReceiver> receiver,
                                           const EegSourceSettings& settings)
    : receiver_(std::move(receiver)) {
  const FramePtr first = receiver_->next(std::stop_token{});
  if (!first)
    throw std::runtime_error(
        fmt::format("peer {}: the stream ended before its first frame", receiver_->describe()));
  std::vector<std::string> labels;
  if (const auto& h = receiver_->stream_header()) labels = h->labels;
  if (labels.empty()) {
    if (settings.montage != MontageKind::kNone) {
      throw std::runtime_error(
          fmt::format("peer {} sent no stream header, so its channels are unknown: send one, or "
                      "use --montage none",
                      receiver_->describe()));
    }
    for (std::size_t c = 0; c < first->shape.channels; ++c)
      labels.push_back(fmt::format("ch{}", c + 1));
  }
  if (labels.size() != first->shape.channels) {
    throw std::runtime_error(fmt::format("peer {}: stream header names {} channels, frames hold {}",
                                         receiver_->describe(), labels.size(),
                                         first->shape.channels));
  }
  MontagePlan plan;
  try {
    plan = plan_montage(labels, std::vector<bool>(labels.size(), true), settings.montage);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(fmt::format("peer {}: {}", receiver_->describe(), e.what()));
  }
  frames_.start(std::move(plan), labels, first->sample_rate_hz, settings);
  push(*first);
}

void ZmqAcquisitionSource::push(const Frame& frame) {
  if (frame.sample_rate_hz != frames_.preprocessor().in_rate()) {
    throw std::runtime_error(fmt::format(
        "peer {}: sample rate changed from {} to {} Hz at frame {}", receiver_->describe(),
        frames_.preprocessor().in_rate(), frame.sample_rate_hz, frame.sequence));
  }
  // The preprocessor takes the channels its montage uses, in order.
  const std::size_t n = frame.shape.samples_per_channel;
  block_.clear();
  for (std::size_t input : frames_.preprocessor().plan().used_inputs) {
    if (input >= frame.shape.channels) {
      throw std::runtime_error(
          fmt::format("peer {}: frame {} has {} channels, fewer than announced",
                      receiver_->describe(), frame.sequence, frame.shape.channels));
    }
    const auto ch = frame.channel(input);
    block_.insert(block_.end(), ch.begin(), ch.end());
  }
  try {
    frames_.preprocessor().push(block_, n, static_cast<double>(frame.first_sample_ns) * 1e-9);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(fmt::format("peer {}: {}", receiver_->describe(), e.what()));
  }
}

std::optional<SourceBlockInfo> ZmqAcquisitionSource::produce(std::span<float> out,
                                                             const std::stop_token& stop) {
  return frames_.next(out, stop, [&] {
    const FramePtr frame = receiver_->next(stop);
    if (frame) push(*frame);
    return frame != nullptr || stop.stop_requested();  // a stop is not the end of the stream
  });
}

}  // namespace streamdx
