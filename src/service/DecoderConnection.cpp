#include "service/DecoderConnection.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

#include "io/ZmqEndpoint.hpp"

namespace streamdx::service {

namespace {

using Clock = std::chrono::steady_clock;

// After a "busy" reply, the request goes again this much later: long enough for the server to
// drain a batch, short against the decision budget.
constexpr std::chrono::milliseconds kBusyBackOff{5};
// A request that could not be handed to a connection (none is up) is tried again this often.
constexpr std::chrono::milliseconds kNoConnectionRetry{20};

struct Key {
  std::uint64_t stream;
  std::uint64_t sequence;
  bool operator==(const Key&) const = default;
};

struct KeyHash {
  std::size_t operator()(const Key& k) const noexcept {
    return std::hash<std::uint64_t>()(k.stream * 0x9e3779b97f4a7c15ULL ^ k.sequence);
  }
};

}  // namespace

DecoderConnection::DecoderConnection(const ConnectionSettings& settings,
                                     ConnectionCounters* counters)
    : settings_(settings),
      counters_(counters != nullptr ? counters : &own_counters_),
      socket_(zmq_context(), zmq::socket_type::dealer) {
  socket_.set(zmq::sockopt::linger, 0);
  // Requests go only to a connection that is up: while the server is down a send fails at once
  // and the request waits here, in the caller's memory, instead of in a dead pipe.
  socket_.set(zmq::sockopt::immediate, 1);
  socket_.set(zmq::sockopt::reconnect_ivl, 100);
  socket_.set(zmq::sockopt::reconnect_ivl_max, 1000);
  socket_.set(zmq::sockopt::sndhwm, 0);
  socket_.set(zmq::sockopt::rcvhwm, 0);
  socket_.set(
      zmq::sockopt::maxmsgsize,
      static_cast<std::int64_t>(kPrefixBytes + kHeadBytes + kMaxTextBytes + 8 * kMaxChannels));
  if (!settings_.server_key.empty()) {
    make_curve_client(socket_, settings_.server_key,
                      settings_.client_keys ? *settings_.client_keys : make_curve_keys());
  }
  ZmqEndpoint::parse(settings_.address, ZmqRole::kConnect, false).attach(socket_);
}

std::optional<Reply> DecoderConnection::receive(std::chrono::milliseconds wait) {
  std::array<zmq::pollitem_t, 1> items{{{socket_.handle(), 0, ZMQ_POLLIN, 0}}};
  if (zmq::poll(items.data(), 1, std::max(wait, std::chrono::milliseconds(0))) == 0) {
    return std::nullopt;
  }
  zmq::message_t m;
  if (!socket_.recv(m, zmq::recv_flags::dontwait)) return std::nullopt;
  while (m.more()) (void)socket_.recv(m);  // a stray envelope part: the reply is the last
  try {
    return parse_reply({m.data<std::uint8_t>(), m.size()});
  } catch (const ProtocolError& e) {
    throw std::runtime_error(
        fmt::format("decoder service {}: unreadable reply: {}", settings_.address, e.what()));
  }
}

std::string DecoderConnection::ask(RequestKind kind) {
  RequestHead head;
  head.kind = kind;
  bytes_.clear();
  encode_request(head, {}, bytes_);
  const Clock::time_point start = Clock::now();
  Clock::time_point due = start;
  for (;;) {
    const Clock::time_point now = Clock::now();
    if (now - start > settings_.give_up_after) {
      throw std::runtime_error(fmt::format(
          "decoder service {}: no answer within {} s (is `streamdx serve` running there, with "
          "the same keys?)",
          settings_.address,
          std::chrono::duration_cast<std::chrono::seconds>(settings_.give_up_after).count()));
    }
    if (now >= due) {
      const bool sent = socket_.send(zmq::buffer(bytes_), zmq::send_flags::dontwait).has_value();
      due = now + (sent ? settings_.resend_after : kNoConnectionRetry);
    }
    const auto reply =
        receive(std::chrono::duration_cast<std::chrono::milliseconds>(due - Clock::now()));
    if (!reply) continue;
    if (reply->kind == ReplyKind::kError) {
      throw std::runtime_error(
          fmt::format("decoder service {}: {}", settings_.address, one_line(reply->text)));
    }
    if (static_cast<std::uint16_t>(reply->kind) == static_cast<std::uint16_t>(kind)) {
      return reply->text;
    }
    counters_->duplicates.fetch_add(1);  // a late answer to an earlier request
  }
}

json::Json DecoderConnection::hello() {
  return json::parse(ask(RequestKind::kHello), settings_.address);
}

json::Json DecoderConnection::stats() {
  return json::parse(ask(RequestKind::kStats), settings_.address);
}

void DecoderConnection::decode(std::span<DecodeCall> calls) {
  struct Outstanding {
    Clock::time_point due;
    bool answered = false;
  };
  std::vector<Outstanding> state(calls.size(), Outstanding{Clock::now(), false});
  std::unordered_map<Key, std::size_t, KeyHash> index;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    index.emplace(Key{calls[i].head.stream_id, calls[i].head.sequence}, i);
  }
  counters_->requests.fetch_add(calls.size());
  std::size_t unanswered = calls.size();
  std::vector<bool> sent_once(calls.size(), false);
  Clock::time_point last_heard = Clock::now();
  while (unanswered > 0) {
    Clock::time_point now = Clock::now();
    Clock::time_point next = now + settings_.resend_after;
    for (std::size_t i = 0; i < calls.size(); ++i) {
      if (state[i].answered) continue;
      if (state[i].due <= now) {
        bytes_.clear();
        encode_request(calls[i].head, calls[i].encodings, bytes_);
        const bool sent = socket_.send(zmq::buffer(bytes_), zmq::send_flags::dontwait).has_value();
        if (sent && sent_once[i]) counters_->resent.fetch_add(1);
        sent_once[i] = sent_once[i] || sent;
        state[i].due = now + (sent ? settings_.resend_after : kNoConnectionRetry);
      }
      next = std::min(next, state[i].due);
    }
    // Every reply already here, then wait for the next one or the next due resend.
    for (auto reply = receive(std::chrono::duration_cast<std::chrono::milliseconds>(next - now));
         reply; reply = receive(std::chrono::milliseconds(0))) {
      last_heard = Clock::now();
      const auto it = index.find(Key{reply->stream_id, reply->sequence});
      if (it == index.end() || state[it->second].answered) {
        counters_->duplicates.fetch_add(1);
        continue;
      }
      DecodeCall& call = calls[it->second];
      switch (reply->kind) {
        case ReplyKind::kPosteriors:
          if (reply->posteriors.size() != call.posteriors.size()) {
            throw std::runtime_error(
                fmt::format("decoder service {}: {} posteriors for a request of {} channels",
                            settings_.address, reply->posteriors.size() / 2, call.head.channels));
          }
          std::copy(reply->posteriors.begin(), reply->posteriors.end(), call.posteriors.begin());
          state[it->second].answered = true;
          --unanswered;
          break;
        case ReplyKind::kBusy:
          counters_->busy.fetch_add(1);
          state[it->second].due = Clock::now() + kBusyBackOff;
          break;
        case ReplyKind::kError:
          throw std::runtime_error(
              fmt::format("decoder service {}: {}", settings_.address, one_line(reply->text)));
        default: counters_->duplicates.fetch_add(1); break;
      }
    }
    if (unanswered > 0 && Clock::now() - last_heard > settings_.give_up_after) {
      throw std::runtime_error(fmt::format(
          "decoder service {}: no reply for {} s with {} requests outstanding (is `streamdx "
          "serve` running there?)",
          settings_.address,
          std::chrono::duration_cast<std::chrono::seconds>(settings_.give_up_after).count(),
          unanswered));
    }
  }
}

}  // namespace streamdx::service
