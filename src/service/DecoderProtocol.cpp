#include "service/DecoderProtocol.hpp"

#include <fmt/format.h>

#include <cstring>

#include "io/LittleEndian.hpp"

namespace streamdx::service {

namespace {

using le::get;
using le::put;

void put_prefix(std::vector<std::uint8_t>& out, std::uint32_t magic, std::uint16_t kind,
                std::size_t body) {
  put<std::uint32_t>(out, magic);
  put<std::uint16_t>(out, kVersion);
  put<std::uint16_t>(out, kind);
  put<std::uint32_t>(out, static_cast<std::uint32_t>(body));
  put<std::uint32_t>(out, 0);
}

// Checks the prefix against `bytes` and returns the kind.
std::uint16_t check_prefix(std::span<const std::uint8_t> bytes, std::uint32_t magic,
                           std::string_view what) {
  if (bytes.size() < kPrefixBytes + kHeadBytes) {
    throw ProtocolError(fmt::format("{} of {} bytes is shorter than the {}-byte prefix and head",
                                    what, bytes.size(), kPrefixBytes + kHeadBytes));
  }
  if (get<std::uint32_t>(bytes, 0) != magic) {
    throw ProtocolError(fmt::format("not a streamdx decoder-service {} (bad magic)", what));
  }
  const auto version = get<std::uint16_t>(bytes, 4);
  if (version != kVersion) {
    throw ProtocolError(
        fmt::format("{} has protocol version {}; this side speaks {}", what, version, kVersion));
  }
  const auto body = get<std::uint32_t>(bytes, 8);
  if (body != bytes.size() - kPrefixBytes) {
    throw ProtocolError(fmt::format("{} says its body is {} bytes; the message has {}", what, body,
                                    bytes.size() - kPrefixBytes));
  }
  return get<std::uint16_t>(bytes, 6);
}

}  // namespace

std::string_view kind_name(RequestKind kind) {
  switch (kind) {
    case RequestKind::kDecode: return "decode";
    case RequestKind::kHello: return "hello";
    case RequestKind::kStats: return "stats";
  }
  return "?";
}

std::string_view kind_name(ReplyKind kind) {
  switch (kind) {
    case ReplyKind::kPosteriors: return "posteriors";
    case ReplyKind::kHello: return "hello";
    case ReplyKind::kStats: return "stats";
    case ReplyKind::kBusy: return "busy";
    case ReplyKind::kError: return "error";
  }
  return "?";
}

std::string one_line(std::string_view text) {
  std::string out(text.substr(0, kMaxTextBytes));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

void encode_request(const RequestHead& head, std::span<const float> encodings,
                    std::vector<std::uint8_t>& out) {
  const std::size_t values =
      std::size_t{head.channels} * head.steps * std::size_t{head.encoding_size};
  if (encodings.size() != (head.kind == RequestKind::kDecode ? values : 0)) {
    throw ProtocolError(fmt::format("a {} request of {} x {} x {} holds {} values",
                                    kind_name(head.kind), head.channels, head.steps,
                                    head.encoding_size, encodings.size()));
  }
  const std::size_t body = kHeadBytes + sizeof(float) * encodings.size();
  out.reserve(out.size() + kPrefixBytes + body);
  put_prefix(out, kRequestMagic, static_cast<std::uint16_t>(head.kind), body);
  put<std::uint64_t>(out, head.stream_id);
  put<std::uint64_t>(out, head.sequence);
  put<std::uint16_t>(out, head.channels);
  put<std::uint16_t>(out, head.steps);
  put<std::uint32_t>(out, head.encoding_size);
  const auto* p = reinterpret_cast<const std::uint8_t*>(encodings.data());
  out.insert(out.end(), p, p + sizeof(float) * encodings.size());
}

Request parse_request(std::span<const std::uint8_t> bytes, std::vector<float>& storage) {
  const std::uint16_t kind = check_prefix(bytes, kRequestMagic, "request");
  if (kind < 1 || kind > 3) throw ProtocolError(fmt::format("unknown request kind {}", kind));
  Request r;
  r.head.kind = static_cast<RequestKind>(kind);
  r.head.stream_id = get<std::uint64_t>(bytes, kPrefixBytes);
  r.head.sequence = get<std::uint64_t>(bytes, kPrefixBytes + 8);
  r.head.channels = get<std::uint16_t>(bytes, kPrefixBytes + 16);
  r.head.steps = get<std::uint16_t>(bytes, kPrefixBytes + 18);
  r.head.encoding_size = get<std::uint32_t>(bytes, kPrefixBytes + 20);
  const std::size_t payload = bytes.size() - kPrefixBytes - kHeadBytes;
  if (r.head.kind != RequestKind::kDecode) {
    if (payload != 0)
      throw ProtocolError(fmt::format("a {} request carries no values", kind_name(r.head.kind)));
    return r;
  }
  if (r.head.channels == 0 || r.head.channels > kMaxChannels) {
    throw ProtocolError(
        fmt::format("a request for {} channels (1 to {})", r.head.channels, kMaxChannels));
  }
  if (r.head.encoding_size == 0 || r.head.encoding_size > kMaxEncodingSize) {
    throw ProtocolError(
        fmt::format("an encoding of {} values (1 to {})", r.head.encoding_size, kMaxEncodingSize));
  }
  const std::size_t values =
      std::size_t{r.head.channels} * r.head.steps * std::size_t{r.head.encoding_size};
  if (payload != sizeof(float) * values) {
    throw ProtocolError(fmt::format("a request of {} x {} x {} values carries {} bytes, not {}",
                                    r.head.channels, r.head.steps, r.head.encoding_size, payload,
                                    sizeof(float) * values));
  }
  const std::uint8_t* data = bytes.data() + kPrefixBytes + kHeadBytes;
  if (reinterpret_cast<std::uintptr_t>(data) % alignof(float) == 0) {
    r.encodings = {reinterpret_cast<const float*>(data), values};
  } else {
    storage.resize(values);
    std::memcpy(storage.data(), data, sizeof(float) * values);
    r.encodings = storage;
  }
  return r;
}

void encode_reply(const Reply& reply, std::vector<std::uint8_t>& out) {
  const bool posteriors = reply.kind == ReplyKind::kPosteriors;
  const std::size_t payload =
      posteriors ? sizeof(float) * reply.posteriors.size() : reply.text.size();
  if (posteriors && reply.posteriors.size() != std::size_t{reply.channels} * 2) {
    throw ProtocolError(fmt::format("posteriors for {} channels hold {} values", reply.channels,
                                    reply.posteriors.size()));
  }
  const std::size_t body = kHeadBytes + payload;
  out.reserve(out.size() + kPrefixBytes + body);
  put_prefix(out, kReplyMagic, static_cast<std::uint16_t>(reply.kind), body);
  put<std::uint64_t>(out, reply.stream_id);
  put<std::uint64_t>(out, reply.sequence);
  put<std::uint16_t>(out, reply.channels);
  put<std::uint16_t>(out, 0);
  put<std::uint32_t>(out, 0);
  if (posteriors) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(reply.posteriors.data());
    out.insert(out.end(), p, p + payload);
  } else {
    out.insert(out.end(), reply.text.begin(), reply.text.end());
  }
}

Reply parse_reply(std::span<const std::uint8_t> bytes) {
  const std::uint16_t kind = check_prefix(bytes, kReplyMagic, "reply");
  if (kind != 1 && kind != 2 && kind != 3 && kind != 8 && kind != 9) {
    throw ProtocolError(fmt::format("unknown reply kind {}", kind));
  }
  Reply r;
  r.kind = static_cast<ReplyKind>(kind);
  r.stream_id = get<std::uint64_t>(bytes, kPrefixBytes);
  r.sequence = get<std::uint64_t>(bytes, kPrefixBytes + 8);
  r.channels = get<std::uint16_t>(bytes, kPrefixBytes + 16);
  const std::size_t payload = bytes.size() - kPrefixBytes - kHeadBytes;
  const std::uint8_t* data = bytes.data() + kPrefixBytes + kHeadBytes;
  if (r.kind == ReplyKind::kPosteriors) {
    if (r.channels == 0 || r.channels > kMaxChannels ||
        payload != sizeof(float) * 2 * std::size_t{r.channels}) {
      throw ProtocolError(
          fmt::format("posteriors for {} channels in {} bytes", r.channels, payload));
    }
    r.posteriors.resize(2 * std::size_t{r.channels});
    std::memcpy(r.posteriors.data(), data, payload);
  } else {
    if (payload > kMaxTextBytes) {
      throw ProtocolError(fmt::format("a {} reply of {} bytes", kind_name(r.kind), payload));
    }
    r.text.assign(reinterpret_cast<const char*>(data), payload);
  }
  return r;
}

}  // namespace streamdx::service
