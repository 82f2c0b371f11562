// `streamdx features`: the LFCC features of real recordings agree with the independent numpy
// reference (tests/reference/lfcc_ref.py, written from docs/FEATURES.md), and are the same
// bits however the recording arrives.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "core/Json.hpp"
#include "io/FrameFile.hpp"
#include "support/ChildProcess.hpp"
#include "support/Files.hpp"
#include "support/RawRecording.hpp"
#include "support/TestData.hpp"
#include "support/TestFrames.hpp"

namespace streamdx {
namespace {

using testing::read_file;

using testing::run_streamdx;

// Runs the pipeline twice on `input` (signal, then features) and the reference on both.
void expect_reference_agrees(const std::filesystem::path& input,
                             const std::vector<std::string>& options,
                             const std::filesystem::path& dir) {
  const std::string stem = input.stem().string();
  const auto signal = dir / (stem + "-signal.npy");
  const auto features = dir / (stem + "-features.npy");
  std::vector<std::string> a = {"stream", "--from", input.string(), "--to", signal.string()};
  std::vector<std::string> b = {"features", input.string(), "-o", features.string()};
  a.insert(a.end(), options.begin(), options.end());
  b.insert(b.end(), options.begin(), options.end());
  const auto ra = run_streamdx(a);
  ASSERT_EQ(ra.exit_code, 0) << ra.err;
  const auto rb = run_streamdx(b);
  ASSERT_EQ(rb.exit_code, 0) << rb.err;
  const auto py = testing::run_streamdx_like(
      {"/usr/bin/python3", std::string(STREAMDX_SOURCE_DIR) + "/tests/reference/lfcc_ref.py",
       signal.string(), features.string()},
      "/dev/null", std::chrono::seconds(120));
  EXPECT_EQ(py.exit_code, 0) << input << "\n" << py.out << py.err;
  EXPECT_NE(py.out.find("x 26; max |diff|"), std::string::npos) << py.out << py.err;
}

TEST(FeaturesReference, AgreesOnBonnSegmentsOfEverySet) {
  STREAMDX_DATA_OR_SKIP(bonn, "eeg/bonn");
  const auto dir = testing::scratch_dir("features-bonn");
  // Two segments of each set: healthy (A, B), interictal (C, D), ictal (E).
  for (const char* file : {"A/Z001.txt", "A/Z050.txt", "B/O001.txt", "B/O077.txt", "C/N001.TXT",
                           "C/N033.TXT", "D/F001.txt", "D/F099.txt", "E/S001.txt", "E/S064.txt"}) {
    expect_reference_agrees(bonn / file, {"--rate", "173.61", "--montage", "none"}, dir);
  }
}

TEST(FeaturesReference, AgreesOnRealHeaderSamplesOfFourCorpora) {
  STREAMDX_DATA_OR_SKIP(root, "eeg/format-samples");
  const auto dir = testing::scratch_dir("features-formats");
  expect_reference_agrees(root / "tuh/dev/aaaaaool/s004_2013/01_tcp_ar/aaaaaool_s004_t001.edf", {},
                          dir);
  expect_reference_agrees(root / "siena/PN00/PN00-2.edf", {}, dir);
  expect_reference_agrees(root / "seizeit/P_ID64/P_ID64_r2.edf", {}, dir);
  // CHB-MIT's bipolar chains lack C3-CZ here: keep its own channels.
  expect_reference_agrees(root / "chbmit/chb05/chb05_06.edf", {"--montage", "none"}, dir);
}

TEST(FeaturesCommand, SameBitsFromAFileStdinAPipeAndOneThread) {
  const auto dir = testing::scratch_dir("features-chunks");
  const auto raw = testing::write_raw_recording(dir);
  const auto file = run_streamdx({"features", raw.string(), "-o", (dir / "file.npy").string()});
  ASSERT_EQ(file.exit_code, 0) << file.err;
  const auto single = run_streamdx(
      {"features", raw.string(), "-o", (dir / "single.npy").string(), "--threads", "single"});
  ASSERT_EQ(single.exit_code, 0) << single.err;
  const auto stdin_run = testing::run_streamdx_like(
      {STREAMDX_BINARY, "features", "-", "-o", (dir / "stdin.npy").string()}, raw);
  ASSERT_EQ(stdin_run.exit_code, 0) << stdin_run.err;

  // Through a FIFO in odd chunk sizes, so reads come back short and frames straddle them.
  const auto pipe_run = testing::run_with_chunked_stdin(
      {STREAMDX_BINARY, "features", "-", "-o", (dir / "pipe.npy").string()}, raw,
      {1, 5, 999, 13, 4096});
  ASSERT_EQ(pipe_run.exit_code, 0) << pipe_run.err;

  const std::string reference = read_file(dir / "file.npy");
  ASSERT_EQ(reference.size(), 128U + 120U * 22U * 26U * 4U) << "12 s: 120 frames of 22 x 26";
  EXPECT_EQ(read_file(dir / "single.npy"), reference);
  EXPECT_EQ(read_file(dir / "stdin.npy"), reference);
  EXPECT_EQ(read_file(dir / "pipe.npy"), reference);
}

TEST(FeaturesCommand, SidecarNamesFeaturesMontageAndFrameTimes) {
  const auto dir = testing::scratch_dir("features-sidecar");
  const auto r = run_streamdx(
      {"features", "sim", "--duration", "3", "-o", (dir / "sim.npy").string(), "--seed", "4"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json::Json j = json::read_file(dir / "sim.json");
  EXPECT_EQ(j["kind"], "lfcc");
  EXPECT_EQ(j["rows"], 30);
  EXPECT_EQ(j["delay_frames"], 6);
  EXPECT_EQ(j["channels"][0], "FP1-F7");
  EXPECT_EQ(j["channels"][1], "F7-T3");
  EXPECT_EQ(j["values"][0], "energy");
  EXPECT_EQ(j["values"][1], "c1");
  EXPECT_EQ(j["values"].back(), "dd_c7");
  ASSERT_EQ(j["frame_times_s"].size(), 30U);
  EXPECT_EQ(j["frame_times_s"][0], 0.0);
  EXPECT_EQ(j["frame_times_s"][3], 0.3);  // exactly: not 0.30000000000000004
  EXPECT_EQ(j["frame_times_s"][29], 2.9);
  EXPECT_EQ(j["end"], "end_of_stream");
  EXPECT_FALSE(std::filesystem::exists(dir / "sim.npy.part"));
}

TEST(FeaturesCommand, StreamsItWasNotDefinedForAreOneLineErrors) {
  const auto dir = testing::scratch_dir("features-errors");
  // A frame file of 256 Hz frames: acquisition resamples every input to 250 Hz, but a frame
  // file is taken as it was written.
  const auto frames = dir / "256hz.sdxf";
  {
    FrameFileWriter writer(frames);
    for (std::uint64_t k = 0; k < 20; ++k) {
      Frame f = testing::make_frame(k, 2, 25);
      f.sample_rate_hz = 256.0;
      writer.consume(f);
    }
    writer.finish(EndReason::kEndOfStream);
  }
  const auto rate = run_streamdx({"features", frames.string(), "-o", (dir / "x.npy").string()});
  EXPECT_EQ(rate.exit_code, 1);
  EXPECT_NE(rate.err.find("stage 'lfcc': LFCC features need 250 Hz frames"), std::string::npos)
      << rate.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "x.npy"));
  const auto missing = run_streamdx({"features", (dir / "nope.edf").string(), "-o", "null"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("nope.edf"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace streamdx
