#include "io/ZmqFrameSender.hpp"

#include <fmt/format.h>
#include <cmath>
#include <stdexcept>

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
  endpoint_.attach(socket_);
  if (endpoint_.role == ZmqRole::kBind) {
    monitor_ =
        std::make_unique<ZmqConnectionMonitor>(socket_, "frame sender " + endpoint_.describe());
  }
}

void ZmqFrameSender::deliver(std::span<const std::uint8_t> message) {
  if (monitor_) monitor_->poll();
  const zmq::send_result_t sent =
      socket_.send(zmq::const_buffer(message.data(), message.size()), zmq::send_flags::none);
  if (!sent) {
    throw std::runtime_error(fmt::format("peer {} took no message for {:.0f} s (dead or stalled)",
                                         endpoint_.describe(), options_.peer_timeout_s));
  }
}

void ZmqFrameSender::close_transport() {
  // Closing hands the queued messages to ZeroMQ's I/O thread; the context waits up to the linger
  // time for the peer to take them before the process exits.
  if (monitor_) monitor_->poll();
  monitor_.reset();
  socket_.close();
}

}  // namespace streamdx
