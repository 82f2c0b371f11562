#include "service/CurveAllowList.hpp"

#include <spdlog/spdlog.h>

#include <array>

#include "service/DecoderProtocol.hpp"

namespace streamdx::service {

CurveAllowList::CurveAllowList(zmq::context_t& context, const std::vector<std::string>& allowed,
                               std::function<void()> on_refused)
    : socket_(context, zmq::socket_type::rep),
      allowed_(allowed.begin(), allowed.end()),
      on_refused_(std::move(on_refused)) {
  socket_.set(zmq::sockopt::linger, 0);
  socket_.bind("inproc://zeromq.zap.01");  // where libzmq looks for the handler
  thread_ = std::thread([this] { serve(); });
}

CurveAllowList::~CurveAllowList() {
  stopping_.store(true);
  if (thread_.joinable()) thread_.join();
}

void CurveAllowList::serve() {
  while (!stopping_.load()) {
    std::array<zmq::pollitem_t, 1> items{{{socket_.handle(), 0, ZMQ_POLLIN, 0}}};
    zmq::poll(items.data(), items.size(), std::chrono::milliseconds(100));
    if ((items[0].revents & ZMQ_POLLIN) == 0) continue;
    // version, request id, domain, address, routing id, mechanism, credentials...
    std::vector<zmq::message_t> parts;
    do {
      parts.emplace_back();
      (void)socket_.recv(parts.back());
    } while (parts.back().more());
    const auto text = [&](std::size_t i) {
      return i < parts.size() ? parts[i].to_string() : std::string();
    };
    bool ok = false;
    std::string key;
    if (parts.size() >= 7 && text(5) == "CURVE" && parts[6].size() == 32) {
      std::array<char, 41> z85{};
      zmq_z85_encode(z85.data(), parts[6].data<std::uint8_t>(), 32);
      key = z85.data();
      ok = allowed_.contains(key);
    }
    if (!ok) {
      spdlog::warn("refused a client from {}: its CURVE key {} is not on the allow-list",
                   one_line(text(3)), key.empty() ? "(none)" : key);
      if (on_refused_) on_refused_();
    }
    const std::array<std::string, 6> reply = {
        "1.0", text(1), ok ? "200" : "400", ok ? "OK" : "key not allowed", ok ? key : "", ""};
    for (std::size_t i = 0; i < reply.size(); ++i) {
      socket_.send(zmq::buffer(reply[i]),
                   i + 1 < reply.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
    }
  }
}

}  // namespace streamdx::service
