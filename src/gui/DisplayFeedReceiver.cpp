#include "gui/DisplayFeedReceiver.hpp"

#include <spdlog/spdlog.h>

#include <zmq.hpp>

#include "io/ZmqEndpoint.hpp"

namespace streamdx {

namespace {

constexpr int kPollMs = 100;  // how often the thread looks at its stop token

bool topic_of(const zmq::message_t& part, display::Topic& topic) {
  const std::string_view name(static_cast<const char*>(part.data()), part.size());
  for (std::size_t i = 0; i < display::kTopics; ++i) {
    if (name == display::kTopicNames[i]) {
      topic = static_cast<display::Topic>(i);
      return true;
    }
  }
  return false;
}

}  // namespace

DisplayFeedReceiver::DisplayFeedReceiver(const std::string& endpoint)
    : DisplayFeedReceiver(ZmqEndpoint::parse(endpoint, ZmqRole::kConnect, false)) {}

DisplayFeedReceiver::DisplayFeedReceiver(ZmqEndpoint endpoint)
    : endpoint_(std::move(endpoint)),
      thread_([this](const std::stop_token& stop) { receive_loop(stop); }) {}

DisplayFeedReceiver::~DisplayFeedReceiver() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
}

void DisplayFeedReceiver::receive_loop(const std::stop_token& stop) {
  try {
    receive_until(stop);
  } catch (const zmq::error_t& e) {
    // ETERM: the process is ending (exit() from a lost display ran the static destructors,
    // the shared context among them) while this thread still waited; nothing is left to do.
    if (e.num() != ETERM) spdlog::error("display feed {}: {}", endpoint_.address, e.what());
  }
}

void DisplayFeedReceiver::receive_until(const std::stop_token& stop) {
  zmq::socket_t socket(zmq_context(), zmq::socket_type::sub);
  socket.set(zmq::sockopt::rcvhwm, kReceiveHighWaterMark);
  socket.set(zmq::sockopt::rcvbuf, kSocketBufferBytes);
  socket.set(zmq::sockopt::rcvtimeo, kPollMs);
  socket.set(zmq::sockopt::linger, 0);
  socket.set(zmq::sockopt::subscribe, display::kTopicPrefix);
  endpoint_.attach(socket);

  while (!stop.stop_requested()) {
    zmq::message_t topic_part;
    if (!socket.recv(topic_part, zmq::recv_flags::none)) continue;
    std::array<zmq::message_t, 2> rest;
    bool whole = topic_part.more();
    for (std::size_t i = 0; whole && i < rest.size(); ++i) {
      whole = socket.recv(rest[i], zmq::recv_flags::none).has_value() &&
              (i + 1 == rest.size() || rest[i].more());
    }
    while (socket.get(zmq::sockopt::rcvmore)) {  // skip any extra parts of a malformed message
      zmq::message_t extra;
      (void)socket.recv(extra, zmq::recv_flags::none);
      whole = false;
    }
    display::Topic topic{};
    if (!whole || !topic_of(topic_part, topic) || rest[0].size() != 8) {
      malformed_.fetch_add(1);
      continue;
    }
    std::uint64_t counter = 0;
    const auto* c = static_cast<const std::uint8_t*>(rest[0].data());
    for (std::size_t i = 0; i < 8; ++i) counter |= std::uint64_t{c[i]} << (8 * i);
    const auto t = static_cast<std::size_t>(topic);
    if (seen_topic_[t] && counter > next_counter_[t]) missed_.fetch_add(counter - next_counter_[t]);
    seen_topic_[t] = true;
    next_counter_[t] = counter + 1;

    auto message = std::make_unique<DisplayMessage>();
    message->topic = topic;
    try {
      message->message =
          wire::decode({static_cast<const std::uint8_t*>(rest[1].data()), rest[1].size()});
    } catch (const wire::WireError& e) {
      malformed_.fetch_add(1);
      spdlog::warn("display feed {}: {}", endpoint_.address, e.what());
      continue;
    }
    received_.fetch_add(1);
    SpscRing<DisplayMessage>& ring = topic == display::Topic::kDecision   ? decision_ring_
                                     : topic == display::Topic::kEprImage ? epr_ring_
                                                                          : signal_ring_;
    ring.push(std::move(message));
  }
}

}  // namespace streamdx
