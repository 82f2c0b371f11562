// The decoder service's messages: what one side writes the other reads back, and what is not a
// well-formed message is refused with a reason before anything is allocated for it.
#include "service/DecoderProtocol.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace streamdx::service {
namespace {

std::vector<std::uint8_t> decode_request(std::uint16_t channels, std::uint32_t size) {
  RequestHead head;
  head.stream_id = 0x1122334455667788ULL;
  head.sequence = 42;
  head.channels = channels;
  head.steps = 7;
  head.encoding_size = size;
  std::vector<float> values(std::size_t{channels} * 7 * size);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = 0.25F * static_cast<float>(i);
  std::vector<std::uint8_t> bytes;
  encode_request(head, values, bytes);
  return bytes;
}

TEST(DecoderProtocol, ARequestReadsBackAsWritten) {
  const auto bytes = decode_request(3, 5);
  ASSERT_EQ(bytes.size(), kPrefixBytes + kHeadBytes + std::size_t{3} * 7 * 5 * sizeof(float));
  EXPECT_EQ(std::memcmp(bytes.data(), "SDXQ", 4), 0);
  std::vector<float> storage;
  const Request r = parse_request(bytes, storage);
  EXPECT_EQ(r.head.kind, RequestKind::kDecode);
  EXPECT_EQ(r.head.stream_id, 0x1122334455667788ULL);
  EXPECT_EQ(r.head.sequence, 42U);
  EXPECT_EQ(r.head.channels, 3);
  EXPECT_EQ(r.head.steps, 7);
  EXPECT_EQ(r.head.encoding_size, 5U);
  ASSERT_EQ(r.encodings.size(), 105U);
  EXPECT_EQ(r.encodings[104], 26.0F);
}

TEST(DecoderProtocol, AnUnalignedRequestIsCopiedNotMisread) {
  const auto bytes = decode_request(1, 2);
  std::vector<std::uint8_t> shifted(bytes.size() + 1);
  std::memcpy(shifted.data() + 1, bytes.data(), bytes.size());
  std::vector<float> storage;
  const Request r = parse_request(std::span(shifted).subspan(1), storage);
  EXPECT_EQ(r.encodings.data(), storage.data());
  EXPECT_EQ(r.encodings[13], 3.25F);
}

TEST(DecoderProtocol, RepliesReadBackAsWritten) {
  Reply posteriors;
  posteriors.stream_id = 7;
  posteriors.sequence = 9;
  posteriors.channels = 2;
  posteriors.posteriors = {0.1F, 0.9F, 0.75F, 0.25F};
  std::vector<std::uint8_t> bytes;
  encode_reply(posteriors, bytes);
  const Reply back = parse_reply(bytes);
  EXPECT_EQ(back.kind, ReplyKind::kPosteriors);
  EXPECT_EQ(back.sequence, 9U);
  EXPECT_EQ(back.posteriors, posteriors.posteriors);

  Reply error;
  error.kind = ReplyKind::kError;
  error.text = one_line("two\nlines\x1b[31m");
  bytes.clear();
  encode_reply(error, bytes);
  EXPECT_EQ(parse_reply(bytes).text, "two lines [31m");
}

TEST(DecoderProtocol, MalformedRequestsAreRefusedWithAReason) {
  std::vector<float> storage;
  const auto good = decode_request(2, 3);
  const auto refused = [&](std::vector<std::uint8_t> bytes, const std::string& why) {
    try {
      (void)parse_request(bytes, storage);
      ADD_FAILURE() << "accepted: " << why;
    } catch (const ProtocolError& e) {
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
    }
  };
  refused({good.begin(), good.begin() + 20}, "shorter than");
  auto bad = good;
  bad[0] = 'X';
  refused(bad, "bad magic");
  bad = good;
  bad[4] = 2;
  refused(bad, "version 2");
  bad = good;
  bad.pop_back();
  refused(bad, "says its body is");
  bad = good;
  bad[6] = 7;
  refused(bad, "unknown request kind 7");
  // A head that claims more values than the body carries: refused from the head alone.
  bad = good;
  bad[kPrefixBytes + 16] = 200;
  refused(bad, "carries");
  bad = good;
  bad[kPrefixBytes + 16] = 0;
  bad[kPrefixBytes + 17] = 0;
  refused(bad, "for 0 channels");
  bad = good;
  bad[kPrefixBytes + 23] = 0x10;  // an encoding size of 2^28
  refused(bad, "an encoding of");
}

TEST(DecoderProtocol, AReplyForTooManyChannelsIsRefused) {
  Reply r;
  r.channels = 2;
  r.posteriors = {1, 2, 3, 4};
  std::vector<std::uint8_t> bytes;
  encode_reply(r, bytes);
  bytes[kPrefixBytes + 16] = 3;  // claims 3 channels, carries 2
  EXPECT_THROW((void)parse_reply(bytes), ProtocolError);
}

}  // namespace
}  // namespace streamdx::service
