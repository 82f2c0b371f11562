#include "io/WireStreamSink.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "io/WireFormat.hpp"

namespace streamdx {

void WireStreamSink::consume(const Frame& frame) {
  buffer_.clear();
  if (frames_ == 0 && !labels_.empty()) {
    if (labels_.size() != frame.shape.channels) {
      throw std::invalid_argument(
          fmt::format("{} channel labels for {} channels", labels_.size(), frame.shape.channels));
    }
    wire::encode(wire::StreamHeader{frame.stream_id, frame.sample_rate_hz, labels_}, buffer_);
    deliver(buffer_);
    buffer_.clear();
  }
  wire::encode(frame, buffer_);
  deliver(buffer_);
  stream_id_ = frame.stream_id;
  ++frames_;
}

void WireStreamSink::upstream_failed(std::string_view node, std::string_view message) {
  upstream_error_ = fmt::format("stage '{}': {}", node, message);
}

void WireStreamSink::finish(EndReason reason) {
  // Frames already delivered stay: the final message says whether the stream ended or failed.
  buffer_.clear();
  if (reason == EndReason::kUpstreamError) {
    wire::encode(wire::UpstreamError{stream_id_, upstream_error_}, buffer_);
  } else {
    wire::encode(wire::EndOfStream{stream_id_, frames_}, buffer_);
  }
  deliver(buffer_);
  close_transport();
}

}  // namespace streamdx
