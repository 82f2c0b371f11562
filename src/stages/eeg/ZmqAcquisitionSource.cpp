#include "stages/eeg/ZmqAcquisitionSource.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace streamdx {

ZmqAcquisitionSource::ZmqAcquisitionSource(std::unique_ptr<ZmqFrameReceiver> receiver,
                                           const EegSourceSettings& settings)
    : receiver_(std::move(receiver)), settings_(settings) {
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
  pre_ = std::make_unique<EegPreprocessor>(std::move(plan), labels, first->sample_rate_hz,
                                           settings.frames);
  push(*first);
}

StreamInfo ZmqAcquisitionSource::info() const {
  return StreamInfo{
      settings_.stream_id,
      FrameShape{static_cast<std::uint16_t>(pre_->channels()), settings_.frames.frame_samples},
      settings_.frames.out_rate_hz};
}

void ZmqAcquisitionSource::push(const Frame& frame) {
  if (frame.sample_rate_hz != pre_->in_rate()) {
    throw std::runtime_error(
        fmt::format("peer {}: sample rate changed from {} to {} Hz at frame {}",
                    receiver_->describe(), pre_->in_rate(), frame.sample_rate_hz, frame.sequence));
  }
  // The preprocessor takes the channels its montage uses, in order.
  const std::size_t n = frame.shape.samples_per_channel;
  block_.clear();
  for (std::size_t input : pre_->plan().used_inputs) {
    if (input >= frame.shape.channels) {
      throw std::runtime_error(
          fmt::format("peer {}: frame {} has {} channels, fewer than announced",
                      receiver_->describe(), frame.sequence, frame.shape.channels));
    }
    const auto ch = frame.channel(input);
    block_.insert(block_.end(), ch.begin(), ch.end());
  }
  try {
    pre_->push(block_, n, static_cast<double>(frame.first_sample_ns) * 1e-9);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(fmt::format("peer {}: {}", receiver_->describe(), e.what()));
  }
}

std::optional<SourceBlockInfo> ZmqAcquisitionSource::produce(std::span<float> out,
                                                             const std::stop_token& stop) {
  SourceBlockInfo info;
  while (!pre_->pop(out, info)) {
    if (finished_ || stop.stop_requested()) return std::nullopt;
    if (const FramePtr frame = receiver_->next(stop)) {
      push(*frame);
    } else if (!stop.stop_requested()) {
      pre_->finish();
      finished_ = true;
    }
  }
  return info;
}

}  // namespace streamdx
