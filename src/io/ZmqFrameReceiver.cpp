#include "io/ZmqFrameReceiver.hpp"

#include <fmt/format.h>
#include <stdexcept>
#include <variant>

#include "io/WireFormat.hpp"

namespace streamdx {

namespace {
constexpr int kPollMs = 100;  // how often a waiting receiver looks at its stop token
}

ZmqFrameReceiver::ZmqFrameReceiver(ZmqEndpoint endpoint, ZmqEdgeOptions options)
    : endpoint_(std::move(endpoint)),
      options_(options),
      socket_(zmq_context(), zmq::socket_type::pull) {
  socket_.set(zmq::sockopt::rcvhwm, options_.high_water_mark);
  socket_.set(zmq::sockopt::rcvtimeo, kPollMs);
  socket_.set(zmq::sockopt::linger, 0);
  // A peer that sends more is disconnected by ZeroMQ before anything is allocated for it.
  socket_.set(zmq::sockopt::maxmsgsize, static_cast<std::int64_t>(wire::kMaxMessageBytes));
  endpoint_.attach(socket_);
  if (endpoint_.role == ZmqRole::kBind) {
    monitor_ =
        std::make_unique<ZmqConnectionMonitor>(socket_, "frame receiver " + endpoint_.describe());
  }
}

FramePtr ZmqFrameReceiver::next(const std::stop_token& stop) {
  for (;;) {
    if (ended_) return nullptr;
    const MonoNs started = monotonic_ns();
    zmq::message_t msg;
    for (;;) {
      if (stop.stop_requested()) return nullptr;
      if (monitor_) monitor_->poll();
      if (socket_.recv(msg, zmq::recv_flags::none)) break;
      const double silent_s = static_cast<double>(monotonic_ns() - started) * 1e-9;
      if (options_.peer_timeout_s > 0.0 && silent_s >= options_.peer_timeout_s) {
        throw std::runtime_error(
            fmt::format("peer {} sent nothing for {:.0f} s (dead or stalled) after {} frames",
                        endpoint_.describe(), silent_s, frames_received_));
      }
    }

    wire::Message decoded;
    try {
      decoded = wire::decode({static_cast<const std::uint8_t*>(msg.data()), msg.size()});
    } catch (const wire::WireError& e) {
      throw std::runtime_error(fmt::format("peer {}: {}", endpoint_.describe(), e.what()));
    }

    if (auto* frame = std::get_if<Frame>(&decoded)) {
      ++frames_received_;
      require_finite_samples(*frame,
                             stream_header_ ? std::span<const std::string>(stream_header_->labels)
                                            : std::span<const std::string>(),
                             fmt::format("peer {}", endpoint_.describe()));
      auto out = std::make_unique<Frame>(std::move(*frame));
      out->stamp(name());
      return out;
    }
    if (auto* header = std::get_if<wire::StreamHeader>(&decoded)) {
      stream_header_ = std::move(*header);  // describes the frames that follow
      continue;
    }
    if (const auto* eos = std::get_if<wire::EndOfStream>(&decoded)) {
      ended_ = true;
      if (eos->frames_sent != frames_received_) {
        throw std::runtime_error(fmt::format("peer {} sent {} frames but {} arrived",
                                             endpoint_.describe(), eos->frames_sent,
                                             frames_received_));
      }
      return nullptr;
    }
    const auto* err = std::get_if<wire::UpstreamError>(&decoded);
    ended_ = true;
    if (err == nullptr) {
      throw std::runtime_error(fmt::format(
          "peer {} sent an EPR acquisition message on an EEG frame edge", endpoint_.describe()));
    }
    throw std::runtime_error(
        fmt::format("peer {} failed upstream: {}", endpoint_.describe(), err->message));
  }
}
}  // namespace streamdx
