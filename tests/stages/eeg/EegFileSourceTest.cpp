#include "stages/eeg/EegFileSource.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include <cmath>

#include "support/EdfBytes.hpp"
#include "support/TestData.hpp"

namespace streamdx {
namespace {

namespace fs = std::filesystem;

struct Produced {
  std::vector<std::vector<float>> frames;
  std::vector<SourceBlockInfo> info;
};

Produced produce_all(EegFileSource& src) {
  Produced p;
  std::vector<float> buf(src.info().shape.sample_count());
  while (auto info = src.produce(buf, std::stop_token{})) {
    p.frames.push_back(buf);
    p.info.push_back(*info);
  }
  return p;
}

EegSourceSettings montage(MontageKind k) {
  EegSourceSettings s;
  s.montage = k;
  return s;
}

// FP1 at 250 Hz in 1 s records, every sample digital 10.
testing::EdfBytesSignal constant_fp1(int records) {
  testing::EdfBytesSignal s;
  s.label = "EEG FP1-REF";
  s.samples_per_record = 250;
  s.digital.assign(std::size_t{250} * static_cast<std::size_t>(records), 10);
  return s;
}

TEST(EegFileSource, GapsInEdfPlusDAreFlaggedNeverGlued) {
  const fs::path path = fs::temp_directory_path() / "streamdx-gap.edf";
  testing::EdfBytesSignal fp1;
  fp1.label = "EEG FP1-REF";
  fp1.samples_per_record = 250;
  testing::EdfBytesSignal f7 = fp1;
  f7.label = "EEG F7-REF";
  for (int i = 0; i < 5 * 250; ++i) {
    fp1.digital.push_back(static_cast<std::int16_t>(100 * std::sin(i * 0.1)));
    f7.digital.push_back(static_cast<std::int16_t>(i % 50));
  }
  // Records at 0, 1, 2 s, then a 2 s gap, then 5 and 6 s.
  testing::write_edf(path, {fp1, f7}, 5, 1.0, {0, 1, 2, 5, 6});
  EegFileSource src(path, montage(MontageKind::kNone));
  EXPECT_EQ(src.reader().reader_name(), "streamdx tolerant reader");
  const Produced p = produce_all(src);
  ASSERT_EQ(p.frames.size(), 50U);  // 5 s of 0.1 s frames: nothing lost at 250 Hz
  for (std::size_t k = 0; k < 50; ++k) {
    const double t =
        k < 30 ? static_cast<double>(k) * 0.1 : 5.0 + static_cast<double>(k - 30) * 0.1;
    EXPECT_EQ(p.info[k].first_sample_ns, std::llround(t * 1e9)) << k;
    EXPECT_EQ((p.info[k].flags & kFrameDiscontinuity) != 0, k == 30) << k;
  }
  EXPECT_EQ(src.preprocessor().counters().gaps, 1U);
  // Samples arrive unchanged: 250 Hz needs no resampling, and digital 1 = 0.1 uV here.
  EXPECT_FLOAT_EQ(p.frames[31][3], static_cast<float>(fp1.digital[250 * 3 + 25 + 3] * 0.1));
  fs::remove(path);
}

// The same signal written in mV (with a 1000 times smaller physical range) reads as the µV
// recording does: the unit field is honoured, not assumed to be µV.
TEST(EegFileSource, MillivoltRecordingsAreReadInMicrovolts) {
  const fs::path dir = fs::temp_directory_path();
  testing::EdfBytesSignal fp1;
  fp1.label = "EEG FP1-REF";
  fp1.samples_per_record = 250;
  for (int i = 0; i < 2 * 250; ++i) {
    fp1.digital.push_back(static_cast<std::int16_t>(300 * std::sin(i * 0.1)));
  }
  testing::EdfBytesSignal f7 = fp1;
  f7.label = "EEG F7-REF";
  testing::write_edf(dir / "streamdx-uv.edf", {fp1, f7}, 2, 1.0);
  for (auto* s : {&fp1, &f7}) {
    s->unit = "mV";
    s->physical_min /= 1000;
    s->physical_max /= 1000;
  }
  testing::write_edf(dir / "streamdx-mv.edf", {fp1, f7}, 2, 1.0);
  EegFileSource uv(dir / "streamdx-uv.edf", montage(MontageKind::kNone));
  EegFileSource mv(dir / "streamdx-mv.edf", montage(MontageKind::kNone));
  const Produced a = produce_all(uv);
  const Produced b = produce_all(mv);
  ASSERT_EQ(a.frames.size(), 20U);
  ASSERT_EQ(b.frames.size(), a.frames.size());
  for (std::size_t k = 0; k < a.frames.size(); ++k) {
    for (std::size_t i = 0; i < a.frames[k].size(); ++i) {
      EXPECT_NEAR(b.frames[k][i], a.frames[k][i], 1e-3 * std::max(1.0F, std::fabs(a.frames[k][i])))
          << k << " " << i;
    }
  }
  EXPECT_DOUBLE_EQ(microvolts_per_unit("V"), 1e6);
  EXPECT_DOUBLE_EQ(microvolts_per_unit("\xb5V"), 1.0);  // Latin-1 µ
  EXPECT_DOUBLE_EQ(microvolts_per_unit("mmHg"), 1.0);
  fs::remove(dir / "streamdx-uv.edf");
  fs::remove(dir / "streamdx-mv.edf");
}

// Headers whose samples would mean nothing are refused, naming the signal.
TEST(EegFileSource, MeaninglessRangesAndRecordDurationsAreRefused) {
  const fs::path path = fs::temp_directory_path() / "streamdx-bad-range.edf";
  const testing::EdfBytesSignal fp1 = constant_fp1(1);
  const auto refused = [&](const testing::EdfBytesSignal& s, double record_s,
                           const std::string& expected) {
    testing::write_edf(path, {s}, 1, record_s);
    try {
      EegFileSource src(path, montage(MontageKind::kNone));
      ADD_FAILURE() << "accepted: " << expected;
    } catch (const std::exception& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("EEG FP1-REF"), std::string::npos) << e.what();
    }
  };
  testing::EdfBytesSignal flat = fp1;
  flat.physical_min = flat.physical_max = 100;
  refused(flat, 1.0, "equal physical minimum and maximum (100)");
  testing::EdfBytesSignal inverted = fp1;
  inverted.digital_min = 32767;
  inverted.digital_max = -32768;
  refused(inverted, 1.0, "digital minimum 32767 not below its maximum -32768");
  refused(fp1, 0.0, "data record duration 0 s gives signal 1");
  fs::remove(path);
}

// A record onset past any recording would wrap when made nanoseconds (it used to read
// "resumes at -9223372036.855 s"): refused, naming the file and the record.
TEST(EegFileSource, ARecordOnsetPastAnyRecordingIsRefused) {
  const fs::path path = fs::temp_directory_path() / "streamdx-far-onset.edf";
  const testing::EdfBytesSignal fp1 = constant_fp1(2);
  testing::write_edf(path, {fp1}, 2, 1.0, {0, 1e15});
  try {
    EegFileSource src(path, montage(MontageKind::kNone));
    (void)produce_all(src);
    FAIL() << "an onset of 1e15 s was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("data record 2 starts at 1e+15 s, past any recording"),
              std::string::npos)
        << e.what();
  }
  fs::remove(path);
}

TEST(EegFileSource, NonFiniteSamplesAreRefusedWithChannelAndTime) {
  MontagePlan plan = plan_montage({"FP1", "F7"}, {true, true}, MontageKind::kNone);
  EegPreprocessor pre(plan, {"FP1", "F7"}, 250, {});
  std::vector<float> block(std::size_t{2} * 250, 1.0F);
  pre.push(block, 250, 0.0);
  block[250 + 100] = std::nanf("");
  try {
    pre.push(block, 250, 1.0);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "non-finite sample (nan) in channel 'F7' at 1.400 s");
  }
}

// End to end on real TUSZ recordings: FP1-F7 is exactly EEG FP1-REF minus EEG F7-REF.
TEST(EegFileSourceRealFiles, TuszFilesGive22ChannelFramesOfTheRightDifferences) {
  STREAMDX_DATA_OR_SKIP(root, "eeg/format-samples/tuh");
  std::size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.path().extension() != ".edf" ||
        e.path().string().find("/01_tcp_ar/") == std::string::npos)
      continue;
    EegFileSource src(e.path(), montage(MontageKind::kAuto));
    ASSERT_EQ(src.info().shape.channels, 22U) << e.path();
    EXPECT_EQ(src.info().shape.samples_per_channel, 25U);
    EXPECT_EQ(src.info().sample_rate_hz, 250.0);
    const Produced p = produce_all(src);
    const auto& h = src.reader().header();
    EXPECT_NEAR(static_cast<double>(p.frames.size()), h.duration_s() * 10, 1.0) << e.path();
    for (std::size_t k = 0; k < p.info.size(); ++k)
      ASSERT_EQ(p.info[k].first_sample_ns, static_cast<std::int64_t>(k) * 100'000'000);
    if (h.signals[0].sample_rate_hz == 250.0) {
      auto reader = open_edf(e.path());
      std::size_t fp1 = 0;
      std::size_t f7 = 0;
      for (std::size_t i = 0; i < h.signals.size(); ++i) {
        if (h.signals[i].label == "EEG FP1-REF") fp1 = i;
        if (h.signals[i].label == "EEG F7-REF") f7 = i;
      }
      std::vector<float> rec;
      double onset = 0;
      const std::vector<std::size_t> sig{fp1, f7};
      ASSERT_TRUE(reader->next_record(sig, rec, onset));
      for (std::size_t i = 0; i < 25; ++i)
        EXPECT_EQ(p.frames[0][i], rec[i] - rec[250 + i]) << e.path();
    }
    ++files;
  }
  EXPECT_GT(files, 100U);
}

TEST(EegFileSourceRealFiles, DiscontinuousAndMixedRateFilesStream) {
  STREAMDX_DATA_OR_SKIP(root, "eeg/edf-samples/mne");
  EegFileSource edf_d(root / "MB0400FU.EDF", montage(MontageKind::kAuto));  // EDF+D at 200 Hz
  const Produced a = produce_all(edf_d);
  EXPECT_GT(a.frames.size(), 200U);
  EXPECT_EQ(edf_d.preprocessor().counters().gaps, 0U) << "its records are contiguous";
  EegFileSource mixed(root / "chtypes_edf.edf",
                      montage(MontageKind::kAuto));  // EEG at 200 Hz beside 37 Hz channels
  EXPECT_FALSE(produce_all(mixed).frames.empty());
  EXPECT_GT(mixed.preprocessor().plan().dropped_inputs.size(), 0U);
}

}  // namespace
}  // namespace streamdx
