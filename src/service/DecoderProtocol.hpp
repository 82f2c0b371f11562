#pragma once
// The decoder service's protocol, version 1 (docs/PROTOCOL.md, "Decoder service"): requests
// from `streamdx run --decoder ADDR` (or any client) to `streamdx serve`, and the replies.
//
// One ZeroMQ message part each, little-endian, a 16-byte prefix like the frame wire format's
// ("SDXQ" for a request, "SDXA" for an answer) and a 24-byte head naming the stream and epoch.
// A decode request carries one whole window per channel: the server keeps no per-stream state,
// so a restarted or different server answers a resent request exactly as the first would have.
//
// Parsing checks every length against the bytes given before anything is allocated, and throws
// ProtocolError with a one-line reason; it never reads past the buffer.
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace streamdx::service {

inline constexpr std::uint32_t kRequestMagic = 0x51584453;  // "SDXQ" as a little-endian u32
inline constexpr std::uint32_t kReplyMagic = 0x41584453;    // "SDXA"
inline constexpr std::uint16_t kVersion = 1;
inline constexpr std::size_t kPrefixBytes = 16;
inline constexpr std::size_t kHeadBytes = 24;
inline constexpr std::size_t kMaxChannels = 1024;
inline constexpr std::size_t kMaxEncodingSize = 4096;
inline constexpr std::size_t kMaxTextBytes = 65536;  // JSON and error replies
// The largest request a server accepts (ZMQ_MAXMSGSIZE on its sockets): 1,024 channels of 7
// steps of a 1,024-value encoding. Larger is dropped by ZeroMQ before it is read.
inline constexpr std::size_t kMaxRequestBytes =
    kPrefixBytes + kHeadBytes + std::size_t{1024} * 7 * 1024 * sizeof(float);

enum class RequestKind : std::uint16_t { kDecode = 1, kHello = 2, kStats = 3 };
enum class ReplyKind : std::uint16_t {
  kPosteriors = 1,
  kHello = 2,
  kStats = 3,
  kBusy = 8,
  kError = 9
};

class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The head every request carries. For hello and stats the numbers are echoed and may be 0.
struct RequestHead {
  RequestKind kind = RequestKind::kDecode;
  std::uint64_t stream_id = 0;
  std::uint64_t sequence = 0;       // the epoch the window ends with, 0, 1, 2, ... per stream
  std::uint16_t channels = 0;       // C
  std::uint16_t steps = 0;          // T, 7
  std::uint32_t encoding_size = 0;  // E
};

// A parsed request: the head, and for decode the C x T x E encodings, channel by channel,
// oldest step first, pointing into the message it was parsed from.
struct Request {
  RequestHead head;
  std::span<const float> encodings;  // unaligned-safe: see parse_request
};

struct Reply {
  ReplyKind kind = ReplyKind::kPosteriors;
  std::uint64_t stream_id = 0;
  std::uint64_t sequence = 0;
  std::uint16_t channels = 0;
  std::vector<float> posteriors;  // C x 2: P(seiz), P(bckg); posteriors only
  std::string text;               // JSON for hello and stats, the reason for an error
};

// Appends a whole request to `out`.
void encode_request(const RequestHead& head, std::span<const float> encodings,
                    std::vector<std::uint8_t>& out);

// Checks and reads a request. The floats are copied into `storage` only when the message is
// not 4-byte aligned (ZeroMQ's buffers are), so a request costs no copy on the server.
Request parse_request(std::span<const std::uint8_t> bytes, std::vector<float>& storage);

void encode_reply(const Reply& reply, std::vector<std::uint8_t>& out);
Reply parse_reply(std::span<const std::uint8_t> bytes);

// Text made safe to carry in an error reply and to print: one line, control bytes replaced,
// at most kMaxTextBytes.
std::string one_line(std::string_view text);

std::string_view kind_name(RequestKind kind);
std::string_view kind_name(ReplyKind kind);

}  // namespace streamdx::service
