#include "io/DisplayPublisher.hpp"

#include <chrono>
#include <thread>

#include "core/Clock.hpp"

namespace streamdx {

DisplayPublisher::DisplayPublisher(const ZmqEndpoint& endpoint, int high_water_mark)
    : socket_(zmq_context(), zmq::socket_type::xpub) {
  socket_.set(zmq::sockopt::sndhwm, high_water_mark);
  socket_.set(zmq::sockopt::xpub_nodrop, 1);
  socket_.set(zmq::sockopt::linger, 0);  // an exiting pipeline never waits for a viewer
  endpoint.attach(socket_);
  if (endpoint.role == ZmqRole::kBind) {
    monitor_ =
        std::make_unique<ZmqConnectionMonitor>(socket_, "display feed " + endpoint.describe());
  }
  address_ =
      endpoint.role == ZmqRole::kBind ? socket_.get(zmq::sockopt::last_endpoint) : endpoint.address;
}

void DisplayPublisher::set_header(wire::StreamHeader header, std::uint64_t header_every) {
  const std::lock_guard lock(mutex_);
  header_ = std::move(header);
  have_header_ = true;
  header_every_ = std::max<std::uint64_t>(header_every, 1);
  buffer_.clear();
  wire::encode(header_, buffer_);
  send_locked(display::Topic::kHeader, buffer_);
}

bool DisplayPublisher::publish(display::Topic topic, const Frame& frame) {
  const std::lock_guard lock(mutex_);
  read_subscriptions_locked();
  if (monitor_) monitor_->poll();
  if (topic == display::Topic::kSignal && have_header_ && ++signal_frames_ % header_every_ == 0) {
    buffer_.clear();
    wire::encode(header_, buffer_);
    send_locked(display::Topic::kHeader, buffer_);
  }
  buffer_.clear();
  wire::encode(frame, buffer_);
  return send_locked(topic, buffer_);
}

void DisplayPublisher::publish_end(std::uint64_t frames_sent, display::Topic topic) {
  const std::lock_guard lock(mutex_);
  read_subscriptions_locked();
  buffer_.clear();
  wire::encode(wire::EndOfStream{0, frames_sent}, buffer_);
  send_locked(topic, buffer_);
}

bool DisplayPublisher::publish(const wire::EprImage& image) {
  const std::lock_guard lock(mutex_);
  read_subscriptions_locked();
  if (monitor_) monitor_->poll();
  buffer_.clear();
  wire::encode(image, buffer_);
  return send_locked(display::Topic::kEprImage, buffer_);
}

bool DisplayPublisher::send_locked(display::Topic topic, std::span<const std::uint8_t> message) {
  // The counter advances even for a dropped message: the gap is how viewers count what they
  // missed.
  const std::uint64_t counter = counters_[static_cast<std::size_t>(topic)]++;
  if (subscriptions_ == 0) return true;  // nobody listens: nothing is lost
  const std::string_view name = display::topic_name(topic);
  std::array<std::uint8_t, 8> counter_bytes{};
  for (std::size_t i = 0; i < counter_bytes.size(); ++i) {
    counter_bytes[i] = static_cast<std::uint8_t>(counter >> (8 * i));
  }
  const auto more = zmq::send_flags::dontwait | zmq::send_flags::sndmore;
  // ZeroMQ takes a multipart message whole or not at all: only the first part can fail.
  if (!socket_.send(zmq::buffer(name.data(), name.size()), more)) {
    ++dropped_;
    return false;
  }
  (void)socket_.send(zmq::buffer(counter_bytes), more);
  (void)socket_.send(zmq::buffer(message.data(), message.size()), zmq::send_flags::dontwait);
  ++sent_;
  return true;
}

void DisplayPublisher::read_subscriptions_locked() {
  zmq::message_t msg;
  while (socket_.recv(msg, zmq::recv_flags::dontwait)) {
    // XPUB delivers (un)subscriptions as 0x01/0x00 followed by the topic.
    if (!msg.empty()) {
      const auto kind = static_cast<const std::uint8_t*>(msg.data())[0];
      if (kind == 1) {
        ++subscriptions_;
      } else if (kind == 0 && subscriptions_ > 0) {
        --subscriptions_;
      }
    }
  }
}

bool DisplayPublisher::wait_for_subscriber(double timeout_s) {
  const MonoNs deadline = monotonic_ns() + static_cast<MonoNs>(timeout_s * 1e9);
  for (;;) {
    {
      const std::lock_guard lock(mutex_);
      read_subscriptions_locked();
      if (subscriptions_ > 0) return true;
    }
    if (monotonic_ns() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::uint64_t DisplayPublisher::sent() const {
  const std::lock_guard lock(mutex_);
  return sent_;
}

std::uint64_t DisplayPublisher::dropped() const {
  const std::lock_guard lock(mutex_);
  return dropped_;
}

}  // namespace streamdx
