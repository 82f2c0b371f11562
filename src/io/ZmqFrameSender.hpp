#pragma once
// ZmqFrameSender: the upstream end of a ZeroMQ edge. It is a sink node to the runner: every frame
// it is given goes out as one wire message on a PUSH socket; finish() sends end-of-stream (or the
// upstream error), then waits for the peer to take everything, up to the peer timeout.
//
// PUSH blocks when the peer's queue (high-water mark) is full, so a ZeroMQ edge applies
// back-pressure just like a ring. A peer that takes nothing for `peer_timeout_s` is dead: the
// send fails with an error naming it, instead of hanging the pipeline.
#include <cstdint>
#include <memory>

#include "core/Settings.hpp"
#include "io/WireStreamSink.hpp"
#include "io/ZmqConnectionMonitor.hpp"
#include "io/ZmqEndpoint.hpp"

namespace streamdx {

struct ZmqEdgeOptions {
  double peer_timeout_s = setting_default<double>("zmq.peer_timeout_s");  // 0: wait forever
  // Messages queued per peer before back-pressure.
  int high_water_mark = setting_default<int>("zmq.high_water_mark");
};

class ZmqFrameSender final : public WireStreamSink {
 public:
  ZmqFrameSender(ZmqEndpoint endpoint, ZmqEdgeOptions options);

  [[nodiscard]] std::string_view name() const override { return "zmq-send"; }

 protected:
  void deliver(std::span<const std::uint8_t> message) override;
  void close_transport() override;

 private:
  ZmqEndpoint endpoint_;
  ZmqEdgeOptions options_;
  zmq::socket_t socket_;
  std::unique_ptr<ZmqConnectionMonitor> monitor_;  // binds: refused handshakes are logged
};

}  // namespace streamdx
