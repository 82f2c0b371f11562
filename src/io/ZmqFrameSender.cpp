#include "io/ZmqFrameSender.hpp"

#include <fmt/format.h>
#include <cmath>
#include <stdexcept>

#include "io/WireFormat.hpp"

namespace streamdx {

namespace {

int timeout_ms(double seconds) {
  return seconds <= 0.0 ? -1 : static_cast<int>(std::lround(seconds * 1000.0));
}

}  // namespace

ZmqFrameSender::ZmqFrameSender(ZmqEndpoint endpoint, ZmqEdgeOptions options)
    : endpoint_(std::move(endpoint)),
      options_(options),
      socket_(zmq_context(), zmq::socket_type::push) {
  socket_.set(zmq::sockopt::sndhwm, options_.high_water_mark);
  socket_.set(zmq::sockopt::sndtimeo, timeout_ms(options_.peer_timeout_s));
  socket_.set(zmq::sockopt::linger, timeout_ms(options_.peer_timeout_s));
  try {
    if (endpoint_.role == ZmqRole::kBind) {
      socket_.bind(endpoint_.address);
    } else {
      socket_.connect(endpoint_.address);
    }
  } catch (const zmq::error_t& e) {
    throw std::runtime_error(fmt::format("cannot open {}: {}", endpoint_.describe(), e.what()));
  }
}

ZmqFrameSender::~ZmqFrameSender() = default;

void ZmqFrameSender::send(std::vector<std::uint8_t>& bytes) {
  const zmq::send_result_t sent = socket_.send(zmq::buffer(bytes), zmq::send_flags::none);
  if (!sent) {
    throw std::runtime_error(fmt::format("peer {} took no message for {:.0f} s (dead or stalled)",
                                         endpoint_.describe(), options_.peer_timeout_s));
  }
}

void ZmqFrameSender::consume(const Frame& frame) {
  buffer_.clear();
  wire::encode(frame, buffer_);
  send(buffer_);
  stream_id_ = frame.stream_id;
  ++frames_sent_;
}

void ZmqFrameSender::upstream_failed(std::string_view node, std::string_view message) {
  upstream_error_ = fmt::format("stage '{}': {}", node, message);
}

void ZmqFrameSender::finish(EndReason reason) {
  buffer_.clear();
  if (reason == EndReason::kUpstreamError) {
    wire::encode(wire::UpstreamError{stream_id_, upstream_error_}, buffer_);
  } else {
    wire::encode(wire::EndOfStream{stream_id_, frames_sent_}, buffer_);
  }
  send(buffer_);
  // Closing hands the queued messages to ZeroMQ's I/O thread; the context waits up to the linger
  // time for the peer to take them before the process exits.
  socket_.close();
}

}  // namespace streamdx
