#include "io/CsvBiAnnotations.hpp"

#include <gtest/gtest.h>

#include "support/TestData.hpp"

namespace streamdx {
namespace {

TEST(CsvBi, ParsesHeaderAndTermEvents) {
  const CsvBiFile f = parse_csv_bi(
      "# version = csv_v1.0.0\n# bname = x\n# duration = 720.00 secs\n#\n"
      "channel,start_time,stop_time,label,confidence\n"
      "TERM,224.0071,258.9804,seiz,1.0000\nFP1-F7,1,2,seiz,0.5\nTERM,300,310,bckg,1\n",
      "x.csv_bi");
  EXPECT_EQ(f.version, "csv_v1.0.0");
  EXPECT_EQ(f.bname, "x");
  EXPECT_EQ(f.duration_text, "720.00");
  EXPECT_DOUBLE_EQ(f.duration_s, 720.0);
  ASSERT_EQ(f.events.size(), 3U);
  const auto seiz = f.intervals("seiz");
  ASSERT_EQ(seiz.size(), 1U);  // TERM rows only
  EXPECT_DOUBLE_EQ(seiz[0].first, 224.0071);
  EXPECT_DOUBLE_EQ(seiz[0].second, 258.9804);
}

TEST(CsvBi, MalformedLinesAreNamedByFileAndLine) {
  const std::string head =
      "# version = csv_v1.0.0\nchannel,start_time,stop_time,label,confidence\n";
  try {
    (void)parse_csv_bi(head + "TERM,1,x,seiz,1\n", "bad.csv_bi");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "bad.csv_bi:3: 'x' is not a number");
  }
  EXPECT_THROW((void)parse_csv_bi(head + "TERM,5,4,seiz,1\n", "b"), std::runtime_error);
  EXPECT_THROW((void)parse_csv_bi(head + "TERM,1,2,seiz\n", "b"), std::runtime_error);
  EXPECT_THROW((void)parse_csv_bi("# only a header\n", "b"), std::runtime_error);
}

TEST(CsvBi, ReadsEveryRealTuszFile) {
  STREAMDX_DATA_OR_SKIP(root, "eeg/format-samples/tuh");
  int files = 0;
  int seizures = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (e.path().extension() != ".csv_bi") continue;
    const CsvBiFile f = read_csv_bi(e.path());
    EXPECT_EQ(f.version, "csv_v1.0.0") << e.path();
    EXPECT_GT(f.duration_s, 0) << e.path();
    for (const auto& [a, b] : f.intervals("seiz")) {
      EXPECT_LE(b, f.duration_s + 1e-6) << e.path();
      ++seizures;
    }
    ++files;
  }
  EXPECT_EQ(files, 217);
  EXPECT_GT(seizures, 0);
}

}  // namespace
}  // namespace streamdx
