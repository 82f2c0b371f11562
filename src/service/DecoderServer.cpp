#include "service/DecoderServer.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <cstring>
#include <thread>

#include "io/ZmqConnectionMonitor.hpp"
#include "service/CurveAllowList.hpp"
#include "service/DecoderProtocol.hpp"
#include "stages/decoder/DecoderShape.hpp"

namespace streamdx::service {

namespace {

using Clock = std::chrono::steady_clock;

std::span<const std::uint8_t> bytes_of(const zmq::message_t& m) {
  return {m.data<std::uint8_t>(), m.size()};
}

// Sends the envelope's parts, then `reply`. On the ROUTER a vanished client makes the send fail
// (ROUTER_MANDATORY): false then, and the reply is counted as undelivered.
bool send_enveloped(zmq::socket_t& socket, std::vector<zmq::message_t>& envelope,
                    std::span<const std::uint8_t> reply) {
  try {
    for (auto& part : envelope) {
      if (!socket.send(part, zmq::send_flags::sndmore | zmq::send_flags::dontwait)) return false;
    }
    return socket.send(zmq::const_buffer(reply.data(), reply.size()), zmq::send_flags::dontwait)
        .has_value();
  } catch (const zmq::error_t&) {
    return false;  // EHOSTUNREACH: the client is gone; it resends when it is back
  }
}

// Log the first few of a kind of complaint, then every 1,000th: a client flooding garbage must
// not flood the log.
bool worth_logging(std::uint64_t& count) {
  ++count;
  return count <= 5 || count % 1000 == 0;
}

}  // namespace

struct DecoderServer::Queued {
  std::vector<zmq::message_t> envelope;
  zmq::message_t body;
  RequestHead head;
  Clock::time_point arrival;
};

DecoderServer::DecoderServer(std::shared_ptr<SeizureModel> model, ServerIdentity identity,
                             DecoderServerOptions options)
    : model_(std::move(model)),
      options_(std::move(options)),
      router_(zmq_context(), zmq::socket_type::router),
      replies_in_(zmq_context(), zmq::socket_type::pair) {
  if (!model_) throw std::invalid_argument("DecoderServer needs a model");
  if (options_.max_batch == 0 || options_.max_queue < options_.max_batch) {
    throw std::invalid_argument(
        fmt::format("the queue ({} windows) must hold at least one batch ({} windows)",
                    options_.max_queue, options_.max_batch));
  }
  // Unique per server in this process: a new server at a freed server's address must not meet
  // its inproc endpoints, which the shared context releases asynchronously.
  static std::atomic<std::uint64_t> servers{0};
  const std::uint64_t id = servers.fetch_add(1);
  replies_address_ = fmt::format("inproc://streamdx-serve-replies-{:x}", id);
  replies_in_.set(zmq::sockopt::rcvhwm, 0);
  replies_in_.bind(replies_address_);

  monitor_ = std::make_unique<ZmqConnectionMonitor>(
      router_, "decoder service", [this](ZmqConnectionMonitor::Event e) {
        switch (e) {
          case ZmqConnectionMonitor::Event::kAccepted: metrics_->client_connected(); break;
          case ZmqConnectionMonitor::Event::kDisconnected: metrics_->client_disconnected(); break;
          case ZmqConnectionMonitor::Event::kRefused: metrics_->client_refused(); break;
        }
      });

  identity.curve = options_.curve.has_value();
  if (options_.curve) {
    make_curve_server(router_, *options_.curve);
    if (!options_.allowed_clients.empty()) {
      allow_list_ = std::make_unique<CurveAllowList>(zmq_context(), options_.allowed_clients,
                                                     [this] { metrics_->client_refused(); });
    }
  }
  router_.set(zmq::sockopt::maxmsgsize, static_cast<std::int64_t>(kMaxRequestBytes));
  router_.set(zmq::sockopt::router_mandatory, 1);
  router_.set(zmq::sockopt::sndhwm, 0);  // replies are bounded by the queue, not by the socket
  router_.set(zmq::sockopt::linger, 1000);
  options_.bind.attach(router_);
  endpoints_.push_back(router_.get(zmq::sockopt::last_endpoint));
  if (options_.admin) {
    admin_.emplace(zmq_context(), zmq::socket_type::router);
    if (options_.curve) make_curve_server(*admin_, *options_.curve);
    admin_->set(zmq::sockopt::maxmsgsize, static_cast<std::int64_t>(kPrefixBytes + kHeadBytes));
    admin_->set(zmq::sockopt::router_mandatory, 1);
    options_.admin->attach(*admin_);
    endpoints_.push_back(admin_->get(zmq::sockopt::last_endpoint));
  }
  identity.endpoints = endpoints_;
  identity.max_batch = options_.max_batch;
  identity.max_queue = options_.max_queue;
  identity.max_queue_delay_us = options_.max_queue_delay.count();
  metrics_ = std::make_unique<ServerMetrics>(std::move(identity));
}

DecoderServer::~DecoderServer() = default;

void DecoderServer::run() {
  std::thread compute([this] { compute_loop(); });
  std::vector<zmq::pollitem_t> items = {{router_.handle(), 0, ZMQ_POLLIN, 0},
                                        {replies_in_.handle(), 0, ZMQ_POLLIN, 0},
                                        {monitor_->events().handle(), 0, ZMQ_POLLIN, 0}};
  if (admin_) items.push_back({admin_->handle(), 0, ZMQ_POLLIN, 0});
  try {
    while (!stopping_.load()) {
      zmq::poll(items.data(), items.size(), std::chrono::milliseconds(100));
      // Replies first: they free clients to send more.
      if ((items[1].revents & ZMQ_POLLIN) != 0) forward_replies();
      if ((items[2].revents & ZMQ_POLLIN) != 0) monitor_->poll();
      if (admin_ && (items[3].revents & ZMQ_POLLIN) != 0) on_request(*admin_, true);
      // A bounded number per turn, so that replies are never starved by a flood of requests.
      for (int i = 0; i < 256 && (router_.get(zmq::sockopt::events) & ZMQ_POLLIN) != 0; ++i) {
        on_request(router_, false);
      }
    }
  } catch (...) {
    stopping_.store(true);
    wake_.notify_all();
    compute.join();
    throw;
  }
  // Answer what was queued before the stop, then let the compute thread go.
  sockets_done_.store(true);
  wake_.notify_all();
  compute.join();
  forward_replies();
}

void DecoderServer::forward_replies() {
  for (;;) {
    std::vector<zmq::message_t> parts;
    zmq::message_t part;
    if (!replies_in_.recv(part, zmq::recv_flags::dontwait)) return;
    parts.push_back(std::move(part));
    while (parts.back().more()) {
      parts.emplace_back();
      (void)replies_in_.recv(parts.back());
    }
    // The compute thread's bytes go out as they are, without a copy.
    const zmq::message_t reply = std::move(parts.back());
    parts.pop_back();
    if (!send_enveloped(router_, parts, bytes_of(reply))) metrics_->reply_undelivered();
  }
}

void DecoderServer::on_request(zmq::socket_t& socket, bool admin) {
  std::vector<zmq::message_t> envelope;
  zmq::message_t body;
  if (!socket.recv(body, zmq::recv_flags::dontwait)) return;
  while (body.more()) {
    envelope.push_back(std::move(body));
    body = zmq::message_t();
    (void)socket.recv(body);
  }
  if (envelope.empty()) return;  // a ROUTER always adds the routing id; nothing to answer to
  metrics_->request_received();
  Reply reply;
  try {
    const Request r = parse_request(bytes_of(body), storage_);
    reply.stream_id = r.head.stream_id;
    reply.sequence = r.head.sequence;
    switch (r.head.kind) {
      case RequestKind::kHello:
        reply.kind = ReplyKind::kHello;
        reply.text = json::line(metrics_->hello());
        break;
      case RequestKind::kStats:
        reply.kind = ReplyKind::kStats;
        reply.text = json::line(metrics_->to_json());
        break;
      case RequestKind::kDecode: {
        if (admin) throw ProtocolError("the admin endpoint answers hello and stats only");
        if (r.head.steps != decoder::kSteps || r.head.encoding_size != model_->encoding_size()) {
          throw ProtocolError(fmt::format(
              "this server's model decodes windows of {} steps of {} values; the request has {} "
              "of {} (a different model or engine: compare the hello reply)",
              decoder::kSteps, model_->encoding_size(), r.head.steps, r.head.encoding_size));
        }
        {
          const std::lock_guard lock(mutex_);
          if (queued_windows_ + r.head.channels <= options_.max_queue) {
            queued_windows_ += r.head.channels;
            queue_.push_back({std::move(envelope), std::move(body), r.head, Clock::now()});
            wake_.notify_one();
            return;
          }
        }
        reply.kind = ReplyKind::kBusy;
        reply.channels = r.head.channels;
        metrics_->busy_sent();
        break;
      }
    }
  } catch (const ProtocolError& e) {
    reply.kind = ReplyKind::kError;
    reply.text = one_line(fmt::format("bad request: {}", e.what()));
    metrics_->error_sent();
    if (worth_logging(bad_requests_)) spdlog::warn("{} ({} so far)", reply.text, bad_requests_);
  }
  std::vector<std::uint8_t> bytes;
  encode_reply(reply, bytes);
  if (!send_enveloped(socket, envelope, bytes)) metrics_->reply_undelivered();
}

std::vector<DecoderServer::Queued> DecoderServer::take_batch() {
  std::unique_lock lock(mutex_);
  wake_.wait(lock, [&] { return !queue_.empty() || sockets_done_.load() || stopping_.load(); });
  if (queue_.empty()) return {};
  // Dynamic batching: a full batch goes at once; a partial one once its oldest request has
  // waited max_queue_delay.
  const Clock::time_point deadline = queue_.front().arrival + options_.max_queue_delay;
  wake_.wait_until(lock, deadline, [&] {
    return queued_windows_ >= options_.max_batch || sockets_done_.load() || stopping_.load();
  });
  std::vector<Queued> batch;
  std::size_t windows = 0;
  while (!queue_.empty() &&
         (batch.empty() || windows + queue_.front().head.channels <= options_.max_batch)) {
    windows += queue_.front().head.channels;
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  queued_windows_ -= windows;
  return batch;
}

void DecoderServer::compute_loop() {
  zmq::socket_t to_sockets(zmq_context(), zmq::socket_type::pair);
  to_sockets.set(zmq::sockopt::sndhwm, 0);
  to_sockets.connect(replies_address_);
  for (;;) {
    std::vector<Queued> batch = take_batch();
    if (batch.empty()) {
      if (sockets_done_.load() || stopping_.load()) break;
      continue;
    }
    serve_batch(batch, to_sockets);
  }
}

void DecoderServer::serve_batch(std::vector<Queued>& batch, zmq::socket_t& to_sockets) {
  const Clock::time_point start = Clock::now();
  const std::size_t per_channel = decoder::kSteps * model_->encoding_size();
  std::size_t rows = 0;
  for (const Queued& q : batch) rows += q.head.channels;
  std::vector<float> windows(rows * per_channel);
  std::vector<float> posteriors(rows * decoder::kClasses);
  std::vector<double> delays_ms;
  std::size_t at = 0;
  std::vector<float> unaligned;
  for (const Queued& q : batch) {
    const Request r = parse_request(bytes_of(q.body), unaligned);
    std::copy(r.encodings.begin(), r.encodings.end(),
              windows.begin() + static_cast<std::ptrdiff_t>(at));
    at += r.encodings.size();
    delays_ms.push_back(std::chrono::duration<double, std::milli>(start - q.arrival).count());
  }
  std::string failure;
  try {
    model_->decode_windows(windows, rows, posteriors);
  } catch (const std::exception& e) {
    failure = one_line(fmt::format("the server's model failed: {}", e.what()));
    spdlog::error("{}", failure);
  }
  const double compute_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  // Counted before the replies leave: a client holding its reply finds it in the stats.
  metrics_->batch_done(rows, batch.size(), compute_ms, delays_ms);
  std::size_t row = 0;
  std::vector<std::uint8_t> bytes;
  for (Queued& q : batch) {
    Reply reply;
    reply.stream_id = q.head.stream_id;
    reply.sequence = q.head.sequence;
    reply.channels = q.head.channels;
    if (failure.empty()) {
      const auto from = posteriors.begin() + static_cast<std::ptrdiff_t>(row * decoder::kClasses);
      reply.posteriors.assign(
          from, from + static_cast<std::ptrdiff_t>(q.head.channels * decoder::kClasses));
    } else {
      reply.kind = ReplyKind::kError;
      reply.text = failure;
    }
    row += q.head.channels;
    bytes.clear();
    encode_reply(reply, bytes);
    for (auto& part : q.envelope) to_sockets.send(part, zmq::send_flags::sndmore);
    to_sockets.send(zmq::buffer(bytes), zmq::send_flags::none);
  }
}

}  // namespace streamdx::service
