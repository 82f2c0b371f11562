#include "io/WireFormat.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "support/TestFrames.hpp"

namespace streamdx {
namespace {

using testing::make_frame;

TEST(WireFormat, FrameRoundTripsExactlyIncludingStamps) {
  const Frame in = make_frame(12);
  std::vector<std::uint8_t> bytes;
  const std::size_t n = wire::encode(in, bytes);
  EXPECT_EQ(n, bytes.size());
  EXPECT_EQ(
      n, wire::kPrefixBytes + wire::kFrameFixedBytes + 2 * wire::kStampBytes + sizeof(float) * 75);
  const Frame out = std::get<Frame>(wire::decode(bytes));
  EXPECT_TRUE(testing::same_content(in, out));
  ASSERT_EQ(out.stamp_count, 2);
  EXPECT_EQ(out.stage_stamps()[1].stage(), "transform");
  EXPECT_EQ(out.stage_stamps()[1].t_ns, 2012);
}

TEST(WireFormat, LayoutIsLittleEndianAtDocumentedOffsets) {
  // docs/PROTOCOL.md promises these offsets; a peer in another language relies on them.
  const Frame in = make_frame(0x0102030405060708ULL, 2, 3);
  std::vector<std::uint8_t> b;
  wire::encode(in, b);
  EXPECT_EQ(std::memcmp(b.data(), "SDXF", 4), 0);
  EXPECT_EQ(b[4], 1);  // version, low byte first
  EXPECT_EQ(b[5], 0);
  EXPECT_EQ(b[6], 1);          // kind = frame
  EXPECT_EQ(b[16 + 8], 0x08);  // sequence, low byte first
  EXPECT_EQ(b[16 + 15], 0x01);
  EXPECT_EQ(b[16 + 32], 2);  // channels
  EXPECT_EQ(b[16 + 34], 3);  // samples per channel
  EXPECT_EQ(b[16 + 36], 2);  // stamps
}

TEST(WireFormat, EndOfStreamAndErrorRoundTrip) {
  std::vector<std::uint8_t> b;
  wire::encode(wire::EndOfStream{3, 99}, b);
  const auto eos = std::get<wire::EndOfStream>(wire::decode(b));
  EXPECT_EQ(eos.stream_id, 3U);
  EXPECT_EQ(eos.frames_sent, 99U);
  b.clear();
  wire::encode(wire::UpstreamError{4, "stage 'x': disk full"}, b);
  EXPECT_EQ(std::get<wire::UpstreamError>(wire::decode(b)).message, "stage 'x': disk full");
}

TEST(WireFormat, StreamHeaderRoundTripsAndRefusesLies) {
  std::vector<std::uint8_t> b;
  wire::encode(wire::StreamHeader{9, 173.61, {"EEG FP1-REF", "", "F7-T3"}}, b);
  const auto h = std::get<wire::StreamHeader>(wire::decode(b));
  EXPECT_EQ(h.stream_id, 9U);
  EXPECT_EQ(h.sample_rate_hz, 173.61);
  EXPECT_EQ(h.labels, (std::vector<std::string>{"EEG FP1-REF", "", "F7-T3"}));
  for (std::size_t len = 0; len < b.size(); ++len)
    EXPECT_THROW(wire::decode(std::span(b.data(), len)), wire::WireError) << len;
  std::vector<std::uint8_t> more = b;
  more[16 + 4] = 4;  // claims a fourth label
  EXPECT_THROW(wire::decode(more), wire::WireError);
}

TEST(WireFormat, EveryTruncationIsAClearErrorNotACrash) {
  std::vector<std::uint8_t> b;
  wire::encode(make_frame(1), b);
  for (std::size_t len = 0; len < b.size(); ++len) {
    try {
      wire::decode(std::span(b.data(), len));
      FAIL() << "a " << len << "-byte prefix of a frame was accepted";
    } catch (const wire::WireError& e) {
      EXPECT_NE(std::string(e.what()).find("bytes"), std::string::npos) << e.what();
    }
  }
}

TEST(WireFormat, AWrongVersionIsRefusedByName) {
  std::vector<std::uint8_t> b;
  wire::encode(make_frame(1), b);
  b[4] = 2;
  try {
    wire::decode(b);
    FAIL() << "version 2 accepted";
  } catch (const wire::WireError& e) {
    EXPECT_STREQ(e.what(), "wire version 2 from peer, this build speaks version 1");
  }
}

TEST(WireFormat, LyingLengthsAreRefused) {
  std::vector<std::uint8_t> b;
  wire::encode(make_frame(1), b);
  std::vector<std::uint8_t> more_channels = b;
  more_channels[16 + 32] = 200;  // claims 200 channels it does not carry
  EXPECT_THROW(wire::decode(more_channels), wire::WireError);
  std::vector<std::uint8_t> many_stamps = b;
  many_stamps[16 + 36] = 200;
  EXPECT_THROW(wire::decode(many_stamps), wire::WireError);
  std::vector<std::uint8_t> bad_magic = b;
  bad_magic[0] = 'X';
  EXPECT_THROW(wire::decode(bad_magic), wire::WireError);
  std::vector<std::uint8_t> bad_kind = b;
  bad_kind[6] = 9;
  EXPECT_THROW(wire::decode(bad_kind), wire::WireError);
}

}  // namespace
}  // namespace streamdx

namespace streamdx::wire {
namespace {

// A prefix announcing more than kMaxMessageBytes is refused from the prefix alone: a reader of a
// crafted frame file allocates nothing for it.
TEST(WireFormat, AnOversizedMessageIsRefusedFromItsPrefix) {
  std::vector<std::uint8_t> bytes;
  encode(testing::make_frame(0), bytes);
  const std::uint32_t huge = 0xFFFF'FF00U;
  std::memcpy(bytes.data() + 8, &huge, sizeof huge);
  try {
    (void)message_size(bytes);
    FAIL() << "a 4 GB message was announced and accepted";
  } catch (const WireError& e) {
    EXPECT_NE(std::string(e.what()).find("at most 67108864 are accepted"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace streamdx::wire
