#include "io/SampleStreamParser.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace streamdx {
namespace {

std::vector<std::uint8_t> bytes_of(const std::string& s) {
  return {s.begin(), s.end()};
}

std::vector<std::uint8_t> raw_float32(const std::vector<std::string>& labels, std::size_t samples) {
  std::string header = "streamdx-raw 1; rate=256; type=float32; channels=";
  for (std::size_t i = 0; i < labels.size(); ++i) header += (i ? "," : "") + labels[i];
  header += "\n";
  auto out = bytes_of(header);
  for (std::size_t s = 0; s < samples; ++s) {
    for (std::size_t c = 0; c < labels.size(); ++c) {
      const float v = static_cast<float>(s) * 0.5F - static_cast<float>(c);
      std::uint8_t b[4];
      std::memcpy(b, &v, 4);
      out.insert(out.end(), b, b + 4);
    }
  }
  return out;
}

// Samples in time order (interleaved), however the parser's planar blocks were cut.
void append_interleaved(std::vector<float>& all, const std::vector<float>& planar,
                        std::size_t channels) {
  const std::size_t n = planar.size() / channels;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t c = 0; c < channels; ++c) all.push_back(planar[c * n + i]);
  }
}

std::vector<float> parse_in_chunks(const std::vector<std::uint8_t>& data, std::size_t chunk,
                                   double rate = 0) {
  SampleStreamParser p("test", rate, "ch");
  std::vector<float> all;
  std::vector<float> block;
  for (std::size_t at = 0; at < data.size(); at += chunk) {
    p.feed(std::span(data).subspan(at, std::min(chunk, data.size() - at)));
    // Take as soon as samples appear: the consumer's timing must not matter either.
    if (p.available() > 0) {
      p.take(p.available(), block);
      append_interleaved(all, block, p.header()->labels.size());
    }
  }
  p.finish();
  p.take(p.available(), block);
  append_interleaved(all, block, p.header()->labels.size());
  return all;
}

TEST(SampleStreamParser, RawFloat32ReadsTheHeaderAndTheSamples) {
  SampleStreamParser p("stdin", 0, "");
  p.feed(raw_float32({"EEG FP1-REF", "EEG F7-REF"}, 3));
  ASSERT_TRUE(p.header());
  EXPECT_EQ(p.header()->labels, (std::vector<std::string>{"EEG FP1-REF", "EEG F7-REF"}));
  EXPECT_EQ(p.header()->rate_hz, 256);
  ASSERT_EQ(p.available(), 3U);
  std::vector<float> planar;
  p.take(3, planar);
  EXPECT_EQ(planar, (std::vector<float>{0.0F, 0.5F, 1.0F, -1.0F, -0.5F, 0.0F}));
}

TEST(SampleStreamParser, AnyChunkingDownToOneByteGivesTheSameSamples) {
  const auto raw = raw_float32({"A1", "T3", "C3"}, 500);
  const auto whole = parse_in_chunks(raw, raw.size());
  EXPECT_EQ(whole.size(), 1500U);
  for (std::size_t chunk : {1UL, 2UL, 3UL, 7UL, 64UL, 1000UL})
    EXPECT_EQ(parse_in_chunks(raw, chunk), whole) << chunk;
  const auto csv = bytes_of("FP1,F7\n1.5,2\n-3,4.25\n5,6\n");
  const auto csv_whole = parse_in_chunks(csv, csv.size(), 250);
  EXPECT_EQ(csv_whole.size(), 6U);
  for (std::size_t chunk : {1UL, 2UL, 5UL})
    EXPECT_EQ(parse_in_chunks(csv, chunk, 250), csv_whole) << chunk;
}

TEST(SampleStreamParser, Int16IsScaledAndTextTakesItsRateFromACommentLine) {
  std::string s = "streamdx-raw 1; rate=500; type=int16; scale=0.5; channels=Cz\n";
  auto data = bytes_of(s);
  for (std::int16_t v : {std::int16_t{-4}, std::int16_t{10}}) {
    data.push_back(static_cast<std::uint8_t>(v & 0xFF));
    data.push_back(static_cast<std::uint8_t>((v >> 8) & 0xFF));
  }
  EXPECT_EQ(parse_in_chunks(data, 3), (std::vector<float>{-2.0F, 5.0F}));
  SampleStreamParser text("bonn.txt", 0, "S001");
  text.feed(bytes_of("# rate = 173.61\n12\n-7\n"));
  text.finish();
  ASSERT_TRUE(text.header());
  EXPECT_EQ(text.header()->rate_hz, 173.61);
  EXPECT_EQ(text.header()->labels, std::vector<std::string>{"S001"});
  EXPECT_EQ(text.available(), 2U);
}

TEST(SampleStreamParser, BadInputIsAOneLineErrorThatSaysWhere) {
  auto expect_error = [](const std::string& input, double rate, const std::string& message) {
    SampleStreamParser p("stdin", rate, "x");
    try {
      p.feed(bytes_of(input));
      p.finish();
      FAIL() << "accepted: " << input;
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()), message);
    }
  };
  auto truncated = raw_float32({"FP1", "F7"}, 2);
  truncated.pop_back();
  expect_error(std::string(truncated.begin(), truncated.end()), 0,
               "stdin: truncated: 7 bytes of a partial sample after 1 complete samples");
  expect_error(
      "streamdx-raw 2; rate=1\n", 0,
      "stdin: unsupported raw header version 'streamdx-raw 2' (expected 'streamdx-raw 1')");
  expect_error("streamdx-raw 1; rate=256; type=double; channels=A\n", 0,
               "stdin: raw header type 'double': expected float32 or int16");
  expect_error("streamdx-raw 1; type=int16; channels=A\n", 0,
               "stdin: raw header needs rate=<Hz> > 0");
  expect_error("1\n2\n", 0,
               "stdin: text samples need a sample rate: give --rate HZ (more than 0), or start "
               "with a '# rate=<Hz>' line");
  expect_error("A,B\n1,2\n3\n", 250, "stdin: line 3: 1 values, expected 2 (one per channel)");
  expect_error("A,B\n1,2\n3,x\n", 250, "stdin: line 3: '3,x' is not a row of numbers");
  expect_error("", 250, "stdin: no samples (empty input)");
}

}  // namespace
}  // namespace streamdx
