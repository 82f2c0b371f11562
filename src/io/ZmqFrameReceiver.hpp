#pragma once
// ZmqFrameReceiver: the downstream end of a ZeroMQ edge. It is a source node to the runner: it
// yields the frames a ZmqFrameSender sent, in order, and ends when the sender's end-of-stream
// arrives. It checks what the peer says against what arrived (a frame count that disagrees is an
// error), turns a peer's error message into a local error, and fails with the peer's name when
// nothing arrives for the peer timeout. Stop requests are honoured within 100 ms.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/Stage.hpp"
#include "io/WireFormat.hpp"
#include "io/ZmqConnectionMonitor.hpp"
#include "io/ZmqEndpoint.hpp"
#include "io/ZmqFrameSender.hpp"

namespace streamdx {

class ZmqFrameReceiver final : public FrameSourceNode {
 public:
  ZmqFrameReceiver(ZmqEndpoint endpoint, ZmqEdgeOptions options);

  [[nodiscard]] std::string_view name() const override { return "zmq-recv"; }
  FramePtr next(const std::stop_token& stop) override;

  // The sender's stream header (rate, channel labels), once one has arrived.
  [[nodiscard]] const std::optional<wire::StreamHeader>& stream_header() const noexcept {
    return stream_header_;
  }
  [[nodiscard]] std::string describe() const { return endpoint_.describe(); }

 private:
  ZmqEndpoint endpoint_;
  ZmqEdgeOptions options_;
  zmq::socket_t socket_;
  std::unique_ptr<ZmqConnectionMonitor> monitor_;  // binds: refused handshakes are logged
  std::uint64_t frames_received_ = 0;
  bool ended_ = false;
  std::optional<wire::StreamHeader> stream_header_;
};

}  // namespace streamdx
