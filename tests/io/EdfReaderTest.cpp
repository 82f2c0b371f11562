#include "io/EdfReader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "support/TestData.hpp"

namespace streamdx {
namespace {

std::vector<std::filesystem::path> edf_files(const std::filesystem::path& root) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    std::string ext = e.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    if (ext == ".edf" || ext == ".bdf") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::size_t> signal_indices(const EdfHeader& h) {
  std::vector<std::size_t> v;
  for (std::size_t i = 0; i < h.signals.size(); ++i) {
    if (!h.signals[i].is_annotation) v.push_back(i);
  }
  return v;
}

TEST(EdfReaderRealFiles, EdflibReadsAllButTwoAndTheTolerantReaderReadsThose) {
  STREAMDX_DATA_OR_SKIP(root, "eeg");
  std::vector<std::string> fallbacks;
  std::size_t n = 0;
  for (const auto& path : edf_files(root)) {
    auto reader = open_edf(path);
    ++n;
    if (!reader->fallback_reason().empty()) {
      fallbacks.push_back(path.filename().string() + ": " + reader->fallback_reason());
      // The fallback must actually read the whole file.
      std::vector<float> planar;
      double onset = -1;
      std::int64_t records = 0;
      while (reader->next_record(signal_indices(reader->header()), planar, onset)) ++records;
      EXPECT_EQ(records, reader->header().records) << path;
    }
  }
  EXPECT_GT(n, 300U);
  ASSERT_EQ(fallbacks.size(), 2U) << ::testing::PrintToString(fallbacks);
  std::sort(fallbacks.begin(), fallbacks.end());
  EXPECT_EQ(fallbacks[0],
            "MB0400FU.EDF: EDFlib refused it: file is discontinuous (EDFlib reads no EDF+D)");
  EXPECT_EQ(fallbacks[1],
            "test_edf_overlapping_annotations.edf: EDFlib refused it: file contains format errors");
}

// On every file both can read, the tolerant reader gives EDFlib's samples.
TEST(EdfReaderRealFiles, TolerantReaderAgreesWithEdflibSampleForSample) {
  STREAMDX_DATA_OR_SKIP(root, "eeg");
  std::size_t compared = 0;
  for (const auto& path : edf_files(root)) {
    auto edflib = open_edf(path);
    if (!edflib->fallback_reason().empty()) continue;
    auto tolerant = open_edf_tolerant(path, "test");
    const auto signals = signal_indices(edflib->header());
    std::vector<float> a;
    std::vector<float> b;
    double ta = 0;
    double tb = 0;
    for (int r = 0; r < 3 && edflib->next_record(signals, a, ta); ++r) {
      ASSERT_TRUE(tolerant->next_record(signals, b, tb)) << path;
      ASSERT_EQ(a.size(), b.size()) << path;
      EXPECT_DOUBLE_EQ(ta, tb) << path;
      for (std::size_t i = 0; i < a.size(); ++i) {
        ASSERT_NEAR(a[i], b[i], 1e-5 * (1 + std::abs(a[i]))) << path << " sample " << i;
      }
    }
    ++compared;
  }
  EXPECT_GT(compared, 300U);
}

TEST(EdfReaderRealFiles, ContiguousEdfPlusDRecordsHaveNoGaps) {
  STREAMDX_DATA_OR_SKIP(root, "eeg/edf-samples/mne");
  auto reader = open_edf(root / "MB0400FU.EDF");
  EXPECT_TRUE(reader->header().is_discontinuous());
  const double dur = reader->header().record_duration_s;
  std::vector<float> planar;
  double onset = 0;
  double expected = -1;
  while (reader->next_record(signal_indices(reader->header()), planar, onset)) {
    if (expected >= 0) {
      EXPECT_NEAR(onset, expected, 1e-9);
    }
    expected = onset + dur;
  }
}

TEST(EdfReaderRealFiles, AnnotationsAndSubsecondStartsAreRead) {
  STREAMDX_DATA_OR_SKIP(root, "eeg/edf-samples");
  auto sub = open_edf(root / "mne" / "subsecond_starttime.edf");
  EXPECT_GT(sub->start_subsecond_s(), 0.0);
  EXPECT_LT(sub->start_subsecond_s(), 1.0);
  auto utf8 = open_edf(root / "mne" / "test_utf8_annotations.edf");
  EXPECT_FALSE(utf8->annotations().empty());
}

TEST(EdfHeader, GarbageIsAOneLineErrorNamingTheFile) {
  const auto path = std::filesystem::temp_directory_path() / "streamdx-garbage.edf";
  {
    std::ofstream out(path, std::ios::binary);
    out << "this is not an EDF file at all";
  }
  try {
    open_edf(path);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path.string() + ": truncated"), std::string::npos)
        << e.what();
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace streamdx
