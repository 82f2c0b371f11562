#include <gtest/gtest.h>

#include "io/CsvBiAnnotations.hpp"
#include "io/DetectionFiles.hpp"

namespace streamdx {
namespace {

TEST(HypFile, ReadsBackWhatItWrites) {
  const std::vector<EpochDecision> epochs = {
      {0, 1, false, 0.9726}, {1, 2, true, 0.8796}, {2, 3, true, 0.6463}, {3, 4, false, 0.5}};
  const std::string text = hyp_text(epochs, {"streamdx 0.1.0", "model x.pt sha256 52"});
  const std::vector<EpochDecision> back = parse_hyp(text, "x.hyp");
  ASSERT_EQ(back.size(), epochs.size());
  for (std::size_t i = 0; i < epochs.size(); ++i) {
    EXPECT_DOUBLE_EQ(back[i].start_s, epochs[i].start_s);
    EXPECT_DOUBLE_EQ(back[i].stop_s, epochs[i].stop_s);
    EXPECT_EQ(back[i].seizure, epochs[i].seizure);
    EXPECT_DOUBLE_EQ(back[i].confidence, epochs[i].confidence);
  }
  EXPECT_EQ(hyp_text(back, {"streamdx 0.1.0", "model x.pt sha256 52"}), text);
}

// A comment is one line whatever it holds: a peer's error text with a newline (or escape
// bytes) must not break the file that records it, nor the scorer that reads it back.
TEST(DetectionFiles, CommentsWithControlCharactersStayOneLine) {
  const std::vector<std::string> comments = {
      "INCOMPLETE: the run stopped at 3.0000 s (stage 'x': bad\nthing\x1b[31m)"};
  const std::vector<LabelledSegment> segments = {{0, 3, false, 0.9}};
  const std::string csv = csv_bi_text(segments, "rec", 3.0, comments);
  EXPECT_NE(csv.find("# INCOMPLETE: the run stopped at 3.0000 s (stage 'x': bad thing [31m)\n"),
            std::string::npos)
      << csv;
  EXPECT_EQ(csv.find('\x1b'), std::string::npos);
  const CsvBiFile back = parse_csv_bi(csv, "rec.csv_bi");
  EXPECT_EQ(back.bname, "rec");
  EXPECT_EQ(back.incomplete.rfind("INCOMPLETE: the run stopped at 3.0000 s", 0), 0U);
  const std::string hyp = hyp_text({{0, 1, false, 0.9}}, comments);
  EXPECT_EQ(parse_hyp(hyp, "rec.hyp").size(), 1U);
}

TEST(HypFile, MalformedLinesAreNamedByFileAndLine) {
  const std::string head = "# streamdx hyp v1\nstart stop label confidence\n";
  try {
    (void)parse_hyp(head + "0 1 bckg 0.5\n1 2 maybe 0.5\n", "bad.hyp");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "bad.hyp:4: label 'maybe' is neither seiz nor bckg");
  }
  EXPECT_THROW((void)parse_hyp(head + "0 x bckg 0.5\n", "b"), std::runtime_error);
  EXPECT_THROW((void)parse_hyp(head + "2 1 bckg 0.5\n", "b"), std::runtime_error);
  EXPECT_THROW((void)parse_hyp(head + "0 1 bckg\n", "b"), std::runtime_error);
  EXPECT_THROW((void)parse_hyp(head + "0 1 bckg 0.5 extra\n", "b"), std::runtime_error);
  EXPECT_THROW((void)parse_hyp("0 1 bckg 0.5\n", "b"), std::runtime_error);  // no column line
  EXPECT_THROW((void)read_hyp("/nonexistent/x.hyp"), std::runtime_error);
}

}  // namespace
}  // namespace streamdx
