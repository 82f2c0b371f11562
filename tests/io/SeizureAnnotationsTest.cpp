// Seizure annotations in the formats of the free corpora users hold: hand-made files in each
// format (with the oddities real ones have), then every real annotation file in
// ../shared/data/eeg/format-samples found from its recordings.
#include "io/SeizureAnnotations.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "support/ChildProcess.hpp"
#include "support/Files.hpp"
#include "support/TestData.hpp"

namespace streamdx {
namespace {

using Intervals = std::vector<std::pair<double, double>>;

void write(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

TEST(SeizureAnnotations, ChbMitSummaryBlocksByFileName) {
  const auto dir = testing::scratch_dir("ann-chb");
  write(dir / "chb99-summary.txt",
        "Data Sampling Rate: 256 Hz\n\nFile Name: chb99_01.edf\nFile Start Time: 11:42:54\n"
        "Number of Seizures in File: 0\n\nFile Name: chb99_03.edf\nNumber of Seizures in File: 2\n"
        "Seizure 1 Start Time: 2996 seconds\nSeizure 1 End Time: 3036 seconds\r\n"
        "Seizure 2 Start Time:  3400 seconds\nSeizure 2 End Time: 3450 seconds\n\n"
        "File Name: chb99_04.edf\nNumber of Seizures in File: 1\nSeizure Start Time: 10 seconds\n"
        "Seizure End Time: 20 seconds\n");
  write(dir / "chb99_03.edf", "");
  const auto a = find_seizure_annotations(dir / "chb99_03.edf");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->format, "chb-mit");
  EXPECT_EQ(a->seizures, (Intervals{{2996, 3036}, {3400, 3450}}));
  EXPECT_TRUE(read_chbmit_summary(dir / "chb99-summary.txt", "chb99_01.edf").seizures.empty());
  EXPECT_EQ(read_chbmit_summary(dir / "chb99-summary.txt", "chb99_04.edf").seizures,
            (Intervals{{10, 20}}));
  EXPECT_THROW(read_chbmit_summary(dir / "chb99-summary.txt", "chb99_07.edf"), std::runtime_error);
}

TEST(SeizureAnnotations, SienaClockTimesPastMidnightAndAnEndAfterTheRegistration) {
  const auto dir = testing::scratch_dir("ann-siena");
  write(
      dir / "Seizures-list-PN99.txt",
      "Seizure n 1\nFile name: PN99-1.edf\nRegistration start time: 23.50.00\n"
      "Registration end time:  00.40.00\nSeizure start time: 00.10.05\nSeizure end time: 00.11.00\n"
      "\nSeizure n 2\nFile name: PN99-2.edf\nRegistration start time: 18.15.44\n"
      "Registration end time: 18.57.13\nStart time: 18.28.29\nEnd time: 19.29.29\n");
  write(dir / "PN99-1.edf", "");
  const auto a = find_seizure_annotations(dir / "PN99-1.edf");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->format, "siena");
  EXPECT_EQ(a->seizures, (Intervals{{1205, 1260}}));  // 20 min 05 s after 23:50:00
  EXPECT_EQ(a->duration_s, 3000);
  EXPECT_TRUE(a->warnings.empty());
  // As in the real PN00 list: the end (19.29.29) lies after the registration's (18.57.13).
  const auto b = read_siena_list(dir / "Seizures-list-PN99.txt", "PN99-2.edf");
  EXPECT_EQ(b.seizures, (Intervals{{765, 2489}}));
  ASSERT_EQ(b.warnings.size(), 1U);
  EXPECT_NE(b.warnings[0].find("ends 1936 s after its registration"), std::string::npos)
      << b.warnings[0];
}

TEST(SeizureAnnotations, SeizeItRowsAndAMissingEnd) {
  const auto dir = testing::scratch_dir("ann-seizeit");
  write(dir / "P_ID99_r1_a1.tsv",
        "# Source: SeizeIt1\n# Subject: P_ID99\n \n\n8971\tNone\tFIA\tHem:L, bhe: 0\n"
        "1949\t1980\tFIA\tHem:L, Orig:Temp, bhe: 0\n");
  write(dir / "P_ID99_r1.edf", "");
  const auto a = find_seizure_annotations(dir / "P_ID99_r1.edf");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->format, "seizeit");
  EXPECT_EQ(a->seizures, (Intervals{{1949, 1980}, {8971, 8971 + kUnknownEndS}}));
  ASSERT_EQ(a->warnings.size(), 1U);
  write(dir / "bad_a1.tsv", "12\tsoon\tFIA\n");
  try {
    read_seizeit_tsv(dir / "bad_a1.tsv");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("bad_a1.tsv"), std::string::npos) << e.what();
  }
}

TEST(SeizureAnnotations, BidsEventsAsSzcoreWritesThem) {
  const auto dir = testing::scratch_dir("ann-bids");
  write(dir / "sub-01_ses-01_task-szMonitoring_run-00_events.tsv",
        "onset\tduration\teventType\tconfidence\tchannels\tdateTime\trecordingDuration\n"
        "0.00\t3600.00\tbckg\tn/a\tn/a\t2023-01-01 00:00:00\t3600.00\n"
        "296.00\t40.50\tsz_foc_ia\tn/a\tn/a\t2023-01-01 00:00:00\t3600.00\n");
  write(dir / "sub-01_ses-01_task-szMonitoring_run-00_eeg.edf", "");
  const auto a = find_seizure_annotations(dir / "sub-01_ses-01_task-szMonitoring_run-00_eeg.edf");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->format, "bids");
  EXPECT_EQ(a->seizures, (Intervals{{296, 336.5}}));
  EXPECT_EQ(a->duration_s, 3600);
  write(dir / "x_events.tsv", "start\tstop\n1\t2\n");
  EXPECT_THROW(read_bids_events(dir / "x_events.tsv"), std::runtime_error);
}

TEST(SeizureAnnotations, NoAnnotationIsNoneNotAnError) {
  const auto dir = testing::scratch_dir("ann-none");
  write(dir / "rec.edf", "");
  EXPECT_FALSE(find_seizure_annotations(dir / "rec.edf").has_value());
}

// Every recording of the real CHB-MIT, Siena and SeizeIT samples finds its annotations, and the
// seizures add up to what the lists hold.
TEST(SeizureAnnotationsRealFiles, EveryCorpusSampleFindsItsSeizures) {
  STREAMDX_DATA_OR_SKIP(root, "eeg/format-samples");
  std::map<std::string, std::size_t> recordings;
  std::map<std::string, std::size_t> seizures;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.path().extension() != ".edf") continue;
    const auto a = find_seizure_annotations(entry.path());
    ASSERT_TRUE(a.has_value()) << entry.path();
    ++recordings[a->format];
    seizures[a->format] += a->seizures.size();
    for (const auto& [start, stop] : a->seizures) EXPECT_LT(start, stop) << entry.path();
  }
  EXPECT_EQ(recordings["chb-mit"], 59U);
  EXPECT_EQ(seizures["chb-mit"], 10U);
  EXPECT_EQ(recordings["siena"], 7U);
  EXPECT_EQ(seizures["siena"], 7U);
  EXPECT_EQ(recordings["seizeit"], 24U);
  EXPECT_EQ(seizures["seizeit"], 12U);
  EXPECT_GT(recordings["csv_bi"], 200U);
}

}  // namespace
}  // namespace streamdx
