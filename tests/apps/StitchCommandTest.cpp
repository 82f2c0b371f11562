// `streamdx stitch`: long test recordings from Bonn segments, reproducible from their seed, with
// a reference that scores perfectly against itself.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/Json.hpp"
#include "support/ChildProcess.hpp"
#include "support/Files.hpp"
#include "support/TestData.hpp"

namespace streamdx {
namespace {

using testing::read_file;

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

TEST(StitchCommand, SeededStreamsWithTheirReference) {
  STREAMDX_DATA_OR_SKIP(bonn, "eeg/bonn");
  const auto dir = testing::scratch_dir("stitch");
  auto stitch = [&](const std::string& name, const std::string& seed) {
    const auto r = testing::run_streamdx(
        {"stitch", "--bonn", bonn.string(), "-o", (dir / name / "s.edf").string(), "--seed", seed,
         "--events", "2", "--background", "120", "--channels", "3", "--seizure-channels", "2"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  };
  stitch("a", "7");
  stitch("b", "7");
  stitch("c", "8");
  const std::string csv = read_file(dir / "a" / "s.csv_bi");
  EXPECT_EQ(count(csv, "\nTERM,"), 2U) << csv;
  EXPECT_NE(csv.find("# stitched from Bonn segments 081-100"), std::string::npos) << csv;
  EXPECT_EQ(read_file(dir / "b" / "s.csv_bi"), csv) << "same seed, same stream";
  // The data records (the header holds the time the file was written: 256 bytes + 256 a signal).
  const auto records = [&](const char* run) {
    return read_file(dir / run / "s.edf").substr(std::size_t{256} * 5);
  };
  EXPECT_TRUE(records("b") == records("a")) << "same seed, same samples";
  EXPECT_FALSE(records("c") == records("a")) << "another seed, other samples";
  EXPECT_EQ(json::read_file(dir / "a" / "s.json")["seizure_channels"], 2);

  // The EDF is what the pipeline reads; its duration is the reference's.
  const auto inspect = testing::run_streamdx({"inspect", (dir / "a" / "s.edf").string()});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  const auto d = csv.find("# duration = ");
  const std::string seconds = csv.substr(d + 13, csv.find(" secs") - d - 13);
  EXPECT_NE(inspect.out.find("BONN3"), std::string::npos) << inspect.out;

  const auto self = testing::run_streamdx(
      {"score", (dir / "a" / "s.csv_bi").string(), (dir / "a" / "s.csv_bi").string(), "--json"});
  ASSERT_EQ(self.exit_code, 0) << self.err;
  const json::Json scored = json::parse(self.out, "score");
  EXPECT_EQ(scored["ovlp"]["hits"], 2.0) << self.out;
  EXPECT_EQ(scored["ovlp"]["misses"], 0.0);
  EXPECT_EQ(scored["ovlp"]["false_alarms"], 0.0);
  EXPECT_EQ(fmt::format("{:.4f}", scored["duration_s"].get<double>()), seconds) << self.out;
}

}  // namespace
}  // namespace streamdx
