#pragma once
// The streamdx wire format, version 1: how a Frame (and the end of a stream, or an upstream
// failure) crosses a ZeroMQ socket or sits in a frame file. Little-endian, fixed offsets,
// documented byte by byte in docs/PROTOCOL.md. Decoding checks every length against the bytes it
// was given and throws WireError with a one-line reason; it never reads past the buffer.
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "core/Frame.hpp"
#include "io/EprWireMessages.hpp"

namespace streamdx::wire {

inline constexpr std::uint32_t kMagic = 0x46584453;  // "SDXF" read as little-endian u32
inline constexpr std::uint16_t kVersion = 1;
inline constexpr std::size_t kPrefixBytes = 16;
inline constexpr std::size_t kFrameFixedBytes = 40;
inline constexpr std::size_t kStampBytes = 24;
inline constexpr std::size_t kEndOfStreamBytes = 16;
inline constexpr std::size_t kErrorFixedBytes = 8;
inline constexpr std::size_t kMaxErrorText = 4096;
// The largest message accepted, prefix included: refused before anything is allocated for it
// (ZMQ_MAXMSGSIZE on receiving sockets, and the prefix check for frame files). A 0.1 s frame of
// 1,024 channels at 20 kHz is 8 MB.
inline constexpr std::size_t kMaxMessageBytes = std::size_t{64} << 20;

enum class Kind : std::uint16_t {
  kFrame = 1,
  kEndOfStream = 2,
  kError = 3,
  kStreamHeader = 4,
  kEprHeader = 5,  // EprWireMessages.hpp
  kEprProjection = 6,
  kEprImage = 7,
};

class WireError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The stream ended normally after `frames_sent` frames.
struct EndOfStream {
  std::uint32_t stream_id = 0;
  std::uint64_t frames_sent = 0;
};

// The sending side failed; `message` says where and why.
struct UpstreamError {
  std::uint32_t stream_id = 0;
  std::string message;
};

// What the frames of a stream are, sent once before its first frame by senders that know:
// the per-channel sample rate and the channel labels (which a montage needs).
struct StreamHeader {
  std::uint32_t stream_id = 0;
  double sample_rate_hz = 0;
  std::vector<std::string> labels;
};

inline constexpr std::size_t kStreamHeaderFixedBytes = 16;
inline constexpr std::size_t kMaxLabelBytes = 255;

using Message =
    std::variant<Frame, EndOfStream, UpstreamError, StreamHeader, EprHeader, EprProjection,
                 EprImage>;

// Encoders append one whole message to `out` and return its size.
std::size_t encode(const Frame& frame, std::vector<std::uint8_t>& out);
std::size_t encode(const EndOfStream& eos, std::vector<std::uint8_t>& out);
std::size_t encode(const UpstreamError& err, std::vector<std::uint8_t>& out);
std::size_t encode(const StreamHeader& header, std::vector<std::uint8_t>& out);

// Size of the message that starts at `bytes`, read from its prefix (which is validated).
// Throws WireError if fewer than kPrefixBytes are given or the prefix is not streamdx v1.
std::size_t message_size(std::span<const std::uint8_t> bytes);

// Decodes exactly one message; `bytes` must hold it and nothing more.
Message decode(std::span<const std::uint8_t> bytes);

}  // namespace streamdx::wire
