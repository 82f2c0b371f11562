#include "io/WireFormat.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <bit>
#include <cstring>

#include "io/LittleEndian.hpp"
#include "io/WirePrefix.hpp"

namespace streamdx::wire {

static_assert(sizeof(float) == 4 && sizeof(double) == 8);

namespace {

using le::get;
using le::put;

void put_prefix(std::vector<std::uint8_t>& out, Kind kind, std::size_t body_bytes) {
  detail::put_prefix(out, kMagic, kVersion, static_cast<std::uint16_t>(kind), body_bytes);
}

std::string_view kind_name(Kind k) {
  switch (k) {
    case Kind::kFrame: return "frame";
    case Kind::kEndOfStream: return "end-of-stream";
    case Kind::kError: return "error";
    case Kind::kStreamHeader: return "stream header";
    case Kind::kEprHeader: return "EPR header";
    case Kind::kEprProjection: return "EPR projection";
    case Kind::kEprImage: return "EPR image";
  }
  return "?";
}

}  // namespace

std::size_t encode(const Frame& frame, std::vector<std::uint8_t>& out) {
  if (frame.samples.size() != frame.shape.sample_count()) {
    throw WireError(fmt::format("frame {} holds {} samples for a {}x{} shape", frame.sequence,
                                frame.samples.size(), frame.shape.channels,
                                frame.shape.samples_per_channel));
  }
  const std::size_t body =
      kFrameFixedBytes + kStampBytes * frame.stamp_count + sizeof(float) * frame.samples.size();
  const std::size_t start = out.size();
  out.reserve(start + kPrefixBytes + body);
  put_prefix(out, Kind::kFrame, body);
  put<std::uint32_t>(out, frame.stream_id);
  put<std::uint32_t>(out, frame.flags);
  put<std::uint64_t>(out, frame.sequence);
  put<std::int64_t>(out, frame.first_sample_ns);
  put<double>(out, frame.sample_rate_hz);
  put<std::uint16_t>(out, frame.shape.channels);
  put<std::uint16_t>(out, frame.shape.samples_per_channel);
  put<std::uint8_t>(out, frame.stamp_count);
  put<std::uint8_t>(out, frame.stamps_overflowed ? 1 : 0);
  put<std::uint16_t>(out, 0);
  for (const StageStamp& s : frame.stage_stamps()) {
    out.insert(out.end(), s.name.begin(), s.name.end());
    put<std::int64_t>(out, s.t_ns);
  }
  const auto* p = reinterpret_cast<const std::uint8_t*>(frame.samples.data());
  out.insert(out.end(), p, p + sizeof(float) * frame.samples.size());
  return out.size() - start;
}

std::size_t encode(const EndOfStream& eos, std::vector<std::uint8_t>& out) {
  const std::size_t start = out.size();
  put_prefix(out, Kind::kEndOfStream, kEndOfStreamBytes);
  put<std::uint32_t>(out, eos.stream_id);
  put<std::uint32_t>(out, 0);
  put<std::uint64_t>(out, eos.frames_sent);
  return out.size() - start;
}

std::size_t encode(const UpstreamError& err, std::vector<std::uint8_t>& out) {
  const std::string_view text = std::string_view(err.message).substr(0, kMaxErrorText);
  const std::size_t start = out.size();
  put_prefix(out, Kind::kError, kErrorFixedBytes + text.size());
  put<std::uint32_t>(out, err.stream_id);
  put<std::uint32_t>(out, static_cast<std::uint32_t>(text.size()));
  out.insert(out.end(), text.begin(), text.end());
  return out.size() - start;
}

std::size_t encode(const StreamHeader& header, std::vector<std::uint8_t>& out) {
  if (header.labels.size() > 0xFFFF) throw WireError("a stream header holds at most 65535 labels");
  std::size_t body = kStreamHeaderFixedBytes;
  for (const std::string& l : header.labels) body += 1 + std::min(l.size(), kMaxLabelBytes);
  const std::size_t start = out.size();
  put_prefix(out, Kind::kStreamHeader, body);
  put<std::uint32_t>(out, header.stream_id);
  put<std::uint16_t>(out, static_cast<std::uint16_t>(header.labels.size()));
  put<std::uint16_t>(out, 0);
  put<double>(out, header.sample_rate_hz);
  for (const std::string& l : header.labels) {
    const std::size_t n = std::min(l.size(), kMaxLabelBytes);
    put<std::uint8_t>(out, static_cast<std::uint8_t>(n));
    out.insert(out.end(), l.begin(), l.begin() + static_cast<std::ptrdiff_t>(n));
  }
  return out.size() - start;
}

std::size_t message_size(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kPrefixBytes) {
    throw WireError(fmt::format("truncated message: {} bytes, the prefix alone is {}", bytes.size(),
                                kPrefixBytes));
  }
  const auto magic = get<std::uint32_t>(bytes, 0);
  if (magic != kMagic) {
    throw WireError(
        fmt::format("not a streamdx message (magic 0x{:08x}, expected 0x{:08x})", magic, kMagic));
  }
  const auto version = get<std::uint16_t>(bytes, 4);
  if (version != kVersion) {
    throw WireError(
        fmt::format("wire version {} from peer, this build speaks version {}", version, kVersion));
  }
  const std::size_t total = kPrefixBytes + get<std::uint32_t>(bytes, 8);
  if (total > kMaxMessageBytes) {
    throw WireError(fmt::format("a message of {} bytes is announced; at most {} are accepted",
                                total, kMaxMessageBytes));
  }
  return total;
}

namespace {

using Body = std::span<const std::uint8_t>;

Frame decode_frame(Body body) {
  if (body.size() < kFrameFixedBytes) {
    throw WireError(fmt::format("truncated frame: body of {} bytes, the header alone is {}",
                                body.size(), kFrameFixedBytes));
  }
  Frame f;
  f.stream_id = get<std::uint32_t>(body, 0);
  f.flags = get<std::uint32_t>(body, 4);
  f.sequence = get<std::uint64_t>(body, 8);
  f.first_sample_ns = get<std::int64_t>(body, 16);
  f.sample_rate_hz = get<double>(body, 24);
  f.shape.channels = get<std::uint16_t>(body, 32);
  f.shape.samples_per_channel = get<std::uint16_t>(body, 34);
  const auto stamps = get<std::uint8_t>(body, 36);
  f.stamps_overflowed = (get<std::uint8_t>(body, 37) & 1U) != 0;
  if (stamps > Frame::kMaxStamps) {
    throw WireError(fmt::format("frame {} claims {} stage stamps, at most {} are allowed",
                                f.sequence, stamps, Frame::kMaxStamps));
  }
  const std::size_t expected =
      kFrameFixedBytes + kStampBytes * stamps + sizeof(float) * f.shape.sample_count();
  if (body.size() != expected) {
    throw WireError(fmt::format(
        "frame {} body is {} bytes; {}x{} samples with {} stamps need exactly {}", f.sequence,
        body.size(), f.shape.channels, f.shape.samples_per_channel, stamps, expected));
  }
  std::size_t at = kFrameFixedBytes;
  for (std::size_t i = 0; i < stamps; ++i, at += kStampBytes) {
    StageStamp& s = f.stamps[i];
    std::memcpy(s.name.data(), body.data() + at, StageStamp::kNameCapacity + 1);
    s.name.back() = '\0';  // a hostile peer cannot make a name unterminated
    s.t_ns = get<std::int64_t>(body, at + 16);
  }
  f.stamp_count = stamps;
  f.samples.resize(f.shape.sample_count());
  std::memcpy(f.samples.data(), body.data() + at, sizeof(float) * f.samples.size());
  return f;
}

EndOfStream decode_end_of_stream(Body body) {
  if (body.size() != kEndOfStreamBytes) {
    throw WireError(
        fmt::format("end-of-stream body is {} bytes, expected {}", body.size(), kEndOfStreamBytes));
  }
  return EndOfStream{get<std::uint32_t>(body, 0), get<std::uint64_t>(body, 8)};
}

UpstreamError decode_error(Body body) {
  if (body.size() < kErrorFixedBytes) {
    throw WireError(fmt::format("truncated error message: body of {} bytes", body.size()));
  }
  const auto len = get<std::uint32_t>(body, 4);
  if (len > kMaxErrorText || body.size() != kErrorFixedBytes + len) {
    throw WireError(fmt::format("error message text of {} bytes does not fit its body of {}", len,
                                body.size()));
  }
  const auto* text = reinterpret_cast<const char*>(body.data() + kErrorFixedBytes);
  return UpstreamError{get<std::uint32_t>(body, 0), std::string(text, len)};
}

StreamHeader decode_stream_header(Body body) {
  if (body.size() < kStreamHeaderFixedBytes) {
    throw WireError(fmt::format("truncated stream header: body of {} bytes", body.size()));
  }
  StreamHeader h;
  h.stream_id = get<std::uint32_t>(body, 0);
  const auto count = get<std::uint16_t>(body, 4);
  h.sample_rate_hz = get<double>(body, 8);
  std::size_t at = kStreamHeaderFixedBytes;
  for (std::size_t i = 0; i < count; ++i) {
    if (at >= body.size())
      throw WireError(fmt::format("stream header ends after {} of {} labels", i, count));
    const std::size_t n = body[at++];
    if (at + n > body.size())
      throw WireError(fmt::format("stream header label {} runs past the body", i + 1));
    h.labels.emplace_back(reinterpret_cast<const char*>(body.data() + at), n);
    at += n;
  }
  if (at != body.size())
    throw WireError(fmt::format("stream header has {} bytes after its labels", body.size() - at));
  return h;
}

}  // namespace

Message decode(std::span<const std::uint8_t> bytes) {
  const std::size_t total = message_size(bytes);
  const auto kind = static_cast<Kind>(get<std::uint16_t>(bytes, 6));
  if (bytes.size() != total) {
    throw WireError(fmt::format("{} message is {} bytes but its prefix announces {}",
                                kind_name(kind), bytes.size(), total));
  }
  const auto body = bytes.subspan(kPrefixBytes);
  switch (kind) {
    case Kind::kFrame: return decode_frame(body);
    case Kind::kEndOfStream: return decode_end_of_stream(body);
    case Kind::kError: return decode_error(body);
    case Kind::kStreamHeader: return decode_stream_header(body);
    case Kind::kEprHeader: return decode_epr_header(body);
    case Kind::kEprProjection: return decode_epr_projection(body);
    case Kind::kEprImage: return decode_epr_image(body);
  }
  throw WireError(fmt::format("unknown message kind {}", static_cast<unsigned>(kind)));
}

}  // namespace streamdx::wire
