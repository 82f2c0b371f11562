// How a corpus is cut into tasks: whole-second boundaries on data records, the warm-up and tail
// around each chunk, checkpoints where neighbouring chunks meet, one task for what cannot be cut.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "batch/BatchPlan.hpp"
#include "batch/BatchProgress.hpp"
#include "batch/TaskRunner.hpp"
#include "support/ChildProcess.hpp"
#include "support/EdfBytes.hpp"
#include "support/TestData.hpp"

namespace streamdx::batch {
namespace {

namespace fs = std::filesystem;

void write_flat_edf(const fs::path& path, int records, double record_s, int per_record,
                    const std::vector<double>& onsets = {}) {
  testing::EdfBytesSignal s;
  s.label = "EEG Fp1";
  s.samples_per_record = per_record;
  s.digital.assign(static_cast<std::size_t>(records) * static_cast<std::size_t>(per_record), 0);
  fs::create_directories(path.parent_path());
  testing::write_edf(path, {s}, records, record_s, onsets);
}

TEST(BatchPlan, ChunksOnWholeSecondsWithWarmUpTailAndCheckpoints) {
  const fs::path dir = testing::scratch_dir("batch-plan");
  write_flat_edf(dir / "corpus" / "p1" / "long.edf", 1000, 1.0, 256);
  const BatchPlan plan = make_batch_plan(dir / "corpus", dir / "out", {300, 120}, Config());
  ASSERT_EQ(plan.recordings.size(), 1U);
  EXPECT_EQ(plan.recordings[0].out_dir, (dir / "out" / "p1" / "long").lexically_normal());
  ASSERT_EQ(plan.tasks.size(), 4U);
  const PlannedTask& first = plan.tasks[0];
  EXPECT_EQ(first.first_record, 0);
  EXPECT_EQ(first.end_record, 305);  // 5 s read on past its stop
  EXPECT_EQ(first.checkpoint_start_s, -1);
  EXPECT_EQ(first.checkpoint_end_s, 270);
  const PlannedTask& second = plan.tasks[1];
  EXPECT_EQ(second.first_record, 180);  // 120 s of warm-up
  EXPECT_EQ(second.start_s, 300);
  EXPECT_EQ(second.stop_s, 600);
  EXPECT_EQ(second.checkpoint_start_s, 270);  // where the first chunk's end checkpoint is
  const PlannedTask& last = plan.tasks[3];
  EXPECT_TRUE(last.last());
  EXPECT_EQ(last.stop_s, 1000);
  EXPECT_EQ(last.end_record, -1);
  EXPECT_EQ(last.checkpoint_end_s, -1);
}

TEST(BatchPlan, BoundariesFallOnRecordsThatSpanWholeSeconds) {
  const fs::path dir = testing::scratch_dir("batch-plan-grid");
  write_flat_edf(dir / "corpus" / "a.edf", 1000, 0.3, 60);  // 0.3 s records: whole s every 10
  const BatchPlan plan = make_batch_plan(dir / "corpus", dir / "out", {100, 60}, Config());
  ASSERT_GT(plan.tasks.size(), 2U);
  for (const PlannedTask& t : plan.tasks) {
    EXPECT_EQ(t.first_record % 10, 0) << t.index;
    EXPECT_DOUBLE_EQ(t.start_s, std::round(t.start_s)) << t.index;
    EXPECT_DOUBLE_EQ(t.read_from_s, std::round(t.read_from_s)) << t.index;
  }
}

TEST(BatchPlan, WhatCannotBeCutIsOneTask) {
  const fs::path dir = testing::scratch_dir("batch-plan-one");
  std::vector<double> onsets;
  onsets.reserve(400);
  for (int r = 0; r < 400; ++r) onsets.push_back(r < 200 ? r : r + 30);  // a 30 s gap
  write_flat_edf(dir / "corpus" / "gappy.edf", 400, 1.0, 256, onsets);
  write_flat_edf(dir / "corpus" / "whole.edf", 400, 1.0, 256);
  std::filesystem::create_directories(dir / "corpus");
  std::FILE* f = std::fopen((dir / "corpus" / "broken.edf").c_str(), "w");
  std::fputs("0       not an EDF", f);
  std::fclose(f);
  const BatchPlan plan = make_batch_plan(dir / "corpus", dir / "out", {120, 60}, Config());
  ASSERT_EQ(plan.recordings.size(), 3U);
  EXPECT_NE(plan.recordings[0].error.find("broken.edf"), std::string::npos);
  std::vector<std::size_t> per_recording(3, 0);
  for (const PlannedTask& t : plan.tasks) ++per_recording[t.recording];
  EXPECT_EQ(per_recording[0], 1U) << "unreadable: one task, which fails";
  EXPECT_EQ(per_recording[1], 1U) << "EDF+D: the resampler restarts at each gap";
  EXPECT_EQ(per_recording[2], 4U);
  // Chunks too short or warm-ups shorter than the stages' reach are refused.
  EXPECT_THROW(make_batch_plan(dir / "corpus", dir / "out", {30, 600}, Config()),
               std::invalid_argument);
  EXPECT_THROW(make_batch_plan(dir / "corpus", dir / "out", {600, 20}, Config()),
               std::invalid_argument);
  EXPECT_THROW(make_batch_plan(dir / "nowhere", dir / "out", {}, Config()), std::runtime_error);
}

TEST(BatchPlan, RoundTripsThroughItsFile) {
  const fs::path dir = testing::scratch_dir("batch-plan-file");
  write_flat_edf(dir / "corpus" / "a.edf", 700, 1.0, 200);
  Config config;
  config.set("eeg.montage=none");
  const BatchPlan plan = make_batch_plan(dir / "corpus", dir / "out", {180, 90}, config);
  write_batch_plan(plan, dir / "plan.json");
  const BatchPlan back = read_batch_plan(dir / "plan.json");
  ASSERT_EQ(back.tasks.size(), plan.tasks.size());
  for (std::size_t i = 0; i < plan.tasks.size(); ++i) {
    EXPECT_EQ(back.tasks[i].first_record, plan.tasks[i].first_record);
    EXPECT_EQ(back.tasks[i].end_record, plan.tasks[i].end_record);
    EXPECT_EQ(back.tasks[i].checkpoint_start_s, plan.tasks[i].checkpoint_start_s);
  }
  EXPECT_EQ(back.config().get_string("eeg.montage"), "none");
  EXPECT_EQ(back.recordings[0].path, plan.recordings[0].path);
  std::FILE* f = std::fopen((dir / "bad.json").c_str(), "w");
  std::fputs("{\"format\": \"something else\"}", f);
  std::fclose(f);
  EXPECT_THROW(read_batch_plan(dir / "bad.json"), std::runtime_error);
}

TEST(BatchPlan, FindsTheReferencesOfEveryCorpusLayout) {
  STREAMDX_DATA_OR_SKIP(samples, "eeg/format-samples");
  const fs::path dir = testing::scratch_dir("batch-plan-layouts");
  const BatchPlan plan = make_batch_plan(samples, dir / "out", {}, Config());
  std::map<std::string, std::size_t> with_reference;  // per corpus folder
  for (const PlannedRecording& r : plan.recordings) {
    EXPECT_TRUE(r.error.empty()) << r.error;
    const std::string corpus = fs::relative(r.path, samples).begin()->string();
    if (!r.reference.empty()) ++with_reference[corpus];
  }
  // TUSZ csv_bi, CHB-MIT summaries, Siena lists, SeizeIT _a1.tsv: each layout's files found.
  for (const char* corpus : {"tuh", "chbmit", "siena", "seizeit"}) {
    EXPECT_GT(with_reference[corpus], 0U) << corpus;
  }
  EXPECT_EQ(plan.tasks.size(), plan.recordings.size()) << "one task per recording by default";
}

TEST(BatchProgress, IndexRangesForSbatch) {
  EXPECT_EQ(index_ranges({}), "");
  EXPECT_EQ(index_ranges({4}), "4");
  EXPECT_EQ(index_ranges({0, 1, 2, 3, 7, 9, 10, 11}), "0-3,7,9-11");
  EXPECT_EQ(parse_index_ranges("0-3,7,9-11"), (std::vector<std::size_t>{0, 1, 2, 3, 7, 9, 10, 11}));
  EXPECT_EQ(parse_index_ranges(index_ranges({4, 5, 6, 12})),
            (std::vector<std::size_t>{4, 5, 6, 12}));
  for (const char* bad : {"3-1", "a", "1,,2", "-4", "2-", "99999999999999999999"}) {
    EXPECT_THROW((void)parse_index_ranges(bad), std::invalid_argument) << bad;
  }
}

}  // namespace
}  // namespace streamdx::batch
