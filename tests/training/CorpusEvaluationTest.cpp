// `streamdx evaluate --corpus`: a folder of annotated recordings scored in one go must say what
// `streamdx run` + `streamdx score` say about each of them, pooled and per recording.
#include "training/CorpusEvaluation.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "core/Json.hpp"
#include "support/ChildProcess.hpp"
#include "support/Files.hpp"
#include "support/TestData.hpp"
#include "training/SegmentStreams.hpp"

namespace streamdx {
namespace {

TEST(CorpusEvaluation, AgreesWithRunThenScore) {
  STREAMDX_TORCH_OR_SKIP();
  STREAMDX_DATA_OR_SKIP(bonn, "eeg/bonn");
  const auto dir = testing::scratch_dir("corpus-eval");
  std::filesystem::create_directories(dir / "corpus" / "sub");
  // Two streams with their csv_bi references, as the trainer writes them: background then a
  // seizure (D then E, intracranial both), and background alone.
  join_segments({{bonn / "D" / "F085.txt", false}, {bonn / "E" / "S085.txt", true}}, 173.61,
                dir / "corpus" / "onset.txt");
  join_segments({{bonn / "D" / "F086.txt", false}, {bonn / "D" / "F087.txt", false}}, 173.61,
                dir / "corpus" / "sub" / "background.txt");
  const auto r = testing::run_streamdx({"evaluate", "--corpus", (dir / "corpus").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json::Json j = json::parse(r.out, "evaluate");
  EXPECT_EQ(j["files"], 2);
  ASSERT_EQ(j["recordings"].size(), 2U);
  EXPECT_TRUE(j["failed"].empty());
  EXPECT_EQ(j["ovlp"]["hits"].get<double>() + j["ovlp"]["misses"].get<double>(), 1.0);

  // The same recordings through run, then score: the same numbers.
  std::ofstream(dir / "ref.list") << "corpus/onset.csv_bi\ncorpus/sub/background.csv_bi\n";
  std::ofstream(dir / "hyp.list") << "run-onset/onset.csv_bi\nrun-bg/background.csv_bi\n";
  for (const auto& [input, out] : {std::pair{"corpus/onset.txt", "run-onset"},
                                   std::pair{"corpus/sub/background.txt", "run-bg"}}) {
    const auto run = testing::run_streamdx(
        {"run", (dir / input).string(), "--montage", "none", "-o", (dir / out).string()});
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }
  const auto s = testing::run_streamdx(
      {"score", (dir / "ref.list").string(), (dir / "hyp.list").string(), "--json"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const json::Json scored = json::parse(s.out, "score");
  for (const char* key : {"ovlp", "taes", "szcore", "epoch_0_25s"}) {
    EXPECT_EQ(j[key], scored[key]) << key;
  }
  EXPECT_EQ(j["duration_s"], scored["duration_s"]);
}

TEST(CorpusEvaluation, AFolderWithoutAnnotationsIsOneClearError) {
  const auto dir = testing::scratch_dir("corpus-empty");
  std::ofstream(dir / "x.txt") << "1\n2\n";
  const auto r = testing::run_streamdx({"evaluate", "--corpus", dir.string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("no recording with seizure annotations"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace streamdx
