#pragma once
// WireStreamSink: a sink node that writes its stream as wire messages (docs/PROTOCOL.md): a
// stream header when the channel labels are known, one message per frame, then end-of-stream,
// or the upstream failure that ended the stream. Where the
// bytes go is the subclass's business: a ZeroMQ socket (ZmqFrameSender) or a frame file
// (FrameFileWriter).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/Stage.hpp"

namespace streamdx {

class WireStreamSink : public FrameSinkNode {
 public:
  // Channel labels to announce in a stream header before the first frame (none: no header).
  void set_channel_labels(std::vector<std::string> labels) { labels_ = std::move(labels); }

  void consume(const Frame& frame) final;
  void upstream_failed(std::string_view node, std::string_view message) final;
  void finish(EndReason reason) final;

 protected:
  // Hands one whole message to the transport.
  virtual void deliver(std::span<const std::uint8_t> message) = 0;
  // After the final message: flush and close (commit a file, hand a socket to ZeroMQ's linger).
  virtual void close_transport() = 0;

 private:
  std::vector<std::uint8_t> buffer_;
  std::uint64_t frames_ = 0;
  std::uint32_t stream_id_ = 0;
  std::string upstream_error_ = "upstream stage failed";
  std::vector<std::string> labels_;
};

}  // namespace streamdx
