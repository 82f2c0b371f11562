#include "io/EdfSignalWriter.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "io/EdfReader.hpp"
#include "support/TestFrames.hpp"

namespace streamdx {
namespace {

namespace fs = std::filesystem;

TEST(EdfSignalWriter, RoundTripsWithinQuantisationAndMarksGaps) {
  const fs::path path = fs::temp_directory_path() / "streamdx-signal.edf";
  std::vector<Frame> frames;
  for (std::uint64_t i = 0; i < 30; ++i) frames.push_back(testing::make_frame(i, 3, 25));
  for (auto& f : frames) f.flags = 0;
  frames[10].flags = kFrameDiscontinuity;
  frames[3].samples[5] = 9000.0F;  // beyond the range: clipped and counted
  {
    EdfSignalWriter w(path, {"FP1-F7", "F7-T3", "T3-T5"}, "streamdx test");
    for (const Frame& f : frames) w.consume(f);
    EXPECT_FALSE(fs::exists(path)) << "visible before finish";
    w.finish(EndReason::kEndOfStream);
    EXPECT_EQ(w.clipped_samples(), 1U);
  }
  ASSERT_TRUE(fs::exists(path));
  auto reader = open_edf(path);
  EXPECT_EQ(reader->header().kind_name(), "EDF+C");
  EXPECT_EQ(reader->header().records, 30);
  EXPECT_DOUBLE_EQ(reader->header().record_duration_s, 0.1);
  EXPECT_EQ(reader->header().signals[1].label, "F7-T3");
  std::vector<float> rec;
  double onset = 0;
  const std::vector<std::size_t> signals{0, 1, 2};
  for (std::size_t k = 0; reader->next_record(signals, rec, onset); ++k) {
    for (std::size_t i = 0; i < rec.size(); ++i) {
      const float want = std::clamp(frames[k].samples[i], -4096.0F, 4095.875F);
      ASSERT_NEAR(rec[i], want, 0.0625 + 1e-4) << "frame " << k << " sample " << i;
    }
  }
  const auto notes = reader->annotations();
  ASSERT_EQ(notes.size(), 1U);
  EXPECT_DOUBLE_EQ(notes[0].onset_s, 1.0);
  EXPECT_EQ(notes[0].text, "gap: resumes at 1.000 s");
  fs::remove(path);
}

TEST(EdfSignalWriter, AnUnfinishedFileIsNeverPublished) {
  const fs::path path = fs::temp_directory_path() / "streamdx-unfinished.edf";
  {
    EdfSignalWriter w(path, {"a", "b", "c"}, "streamdx test");
    w.consume(testing::make_frame(0, 3, 25));
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path.string() + ".part"));
}

// Channels with no name are named ch1, ch2, ...; more channels than EDFlib writes is one clear
// error, not "EDFlib cannot create it (error -9)".
TEST(EdfSignalWriter, UnnamedChannelsAreNumberedAndTooManyAreRefusedByName) {
  const fs::path path = fs::temp_directory_path() / "streamdx-unnamed.edf";
  {
    EdfSignalWriter w(path, {}, "streamdx test");
    w.consume(testing::make_frame(0, 3, 25));
    w.finish(EndReason::kEndOfStream);
  }
  const auto reader = open_edf(path);
  ASSERT_EQ(reader->header().signals.size(), 4U);  // with the annotation signal
  EXPECT_EQ(reader->header().signals[2].label, "ch3");
  fs::remove(path);

  EdfSignalWriter many(path, {}, "streamdx test");
  try {
    many.consume(testing::make_frame(0, 641, 25));
    FAIL() << "641 channels were accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("641 channels, but an EDF+ file written by EDFlib holds "
                                         "at most 640"),
              std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(fs::exists(path));
}

}  // namespace
}  // namespace streamdx
