// Fuzzes the decoder service's protocol (service/DecoderProtocol.hpp): any byte string given to
// the server as a request, or to a client as a reply, must either parse or throw ProtocolError,
// never crash, read out of bounds or allocate more than the message implies.
#include "FuzzTarget.hpp"
#include "service/DecoderProtocol.hpp"

using namespace streamdx::service;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  std::vector<float> storage;
  try {
    const Request r = parse_request(bytes, storage);
    // What parsed must be self-consistent and re-encode to the same bytes.
    std::vector<std::uint8_t> again;
    encode_request(r.head, r.encodings, again);
    if (again.size() != size) __builtin_trap();
  } catch (const ProtocolError&) {
  }
  try {
    const Reply r = parse_reply(bytes);
    if (r.kind == ReplyKind::kPosteriors && r.posteriors.size() != 2U * r.channels) {
      __builtin_trap();
    }
  } catch (const ProtocolError&) {
  }
  return 0;
}

std::vector<std::vector<std::uint8_t>> fuzz_seeds() {
  std::vector<std::vector<std::uint8_t>> seeds(5);
  RequestHead decode{RequestKind::kDecode, 7, 3, 2, 7, 3};
  std::vector<float> windows(2 * 7 * 3);
  for (std::size_t i = 0; i < windows.size(); ++i) windows[i] = 0.5F * static_cast<float>(i);
  encode_request(decode, windows, seeds[0]);
  encode_request(RequestHead{RequestKind::kHello, 0, 0, 0, 0, 0}, {}, seeds[1]);
  Reply posteriors;
  posteriors.stream_id = 7;
  posteriors.sequence = 3;
  posteriors.channels = 2;
  posteriors.posteriors = {0.25F, 0.75F, 0.5F, 0.5F};
  encode_reply(posteriors, seeds[2]);
  Reply hello;
  hello.kind = ReplyKind::kHello;
  hello.text = R"({"protocol":1,"encoding_size":74})";
  encode_reply(hello, seeds[3]);
  Reply error;
  error.kind = ReplyKind::kError;
  error.text = "bad request: unknown request kind 7";
  encode_reply(error, seeds[4]);
  return seeds;
}
