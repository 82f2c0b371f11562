// `streamdx batch`: a corpus cut into chunks, run as independent processes and stitched, gives
// the HYP, TSE and csv_bi of one `streamdx run` per recording, byte for byte, at several chunk
// sizes, with boundaries inside seizures, at 250 Hz and at 256 Hz (through the resampler), and
// whether or not the warm-up reached the background state (too short, the merge re-runs).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <array>
#include <cmath>
#include <filesystem>

#include "core/Json.hpp"
#include "io/EdfReader.hpp"
#include "io/SeizureAnnotations.hpp"
#include "stages/eeg/Resampler.hpp"
#include "support/ChildProcess.hpp"
#include "support/EdfBytes.hpp"
#include "support/Files.hpp"
#include "support/TestData.hpp"

namespace streamdx {
namespace {

namespace fs = std::filesystem;
using testing::read_file;
using testing::run_streamdx;

constexpr std::array<const char*, 3> kDetectionFiles = {".hyp", ".tse", ".csv_bi"};
constexpr const char* kMontage = "eeg.montage=none";  // stitched Bonn channels are not 10-20

// `rec` (a 250 Hz EDF) resampled to 256 Hz, as CHB-MIT records, with its reference beside it.
void write_256_hz_copy(const fs::path& rec, const fs::path& out) {
  auto reader = open_edf(rec);
  const auto& h = reader->header();
  const std::vector<std::size_t> signals = {0, 1};
  std::vector<std::vector<float>> channels(2);
  std::vector<float> block;
  double onset = 0;
  while (reader->next_record(signals, block, onset)) {
    const std::size_t n = block.size() / 2;
    for (std::size_t c = 0; c < 2; ++c) {
      channels[c].insert(channels[c].end(), block.begin() + static_cast<long>(c * n),
                         block.begin() + static_cast<long>((c + 1) * n));
    }
  }
  Resampler resampler(h.signals[0].sample_rate_hz, 256, 2);
  std::vector<float> planar = channels[0];
  planar.insert(planar.end(), channels[1].begin(), channels[1].end());
  resampler.push(planar, channels[0].size());
  resampler.finish();
  const std::size_t records = resampler.available() / 256;
  std::vector<float> out256(2 * records * 256);
  resampler.take(records * 256, out256);
  std::vector<testing::EdfBytesSignal> edf(2);
  for (std::size_t c = 0; c < 2; ++c) {
    edf[c].label = fmt::format("EEG{}", c + 1);
    edf[c].samples_per_record = 256;
    edf[c].physical_min = -6553.6;
    edf[c].physical_max = 6553.4;
    for (std::size_t i = 0; i < records * 256; ++i) {
      const double v = std::round(out256[c * records * 256 + i] / 0.2);
      edf[c].digital.push_back(static_cast<std::int16_t>(std::clamp(v, -32768.0, 32767.0)));
    }
  }
  fs::create_directories(out.parent_path());
  testing::write_edf(out, edf, static_cast<int>(records), 1.0);
  fs::copy_file(fs::path(rec).replace_extension(".csv_bi"),
                fs::path(out).replace_extension(".csv_bi"));
}

struct Corpus {
  fs::path dir;
  std::vector<fs::path> recordings;  // relative to dir, without extension
};

Corpus make_corpus(const fs::path& bonn, const fs::path& dir) {
  Corpus c{dir / "corpus", {"site-a/rec250", "site-b/rec256"}};
  const fs::path stitched = dir / "stitched" / "rec.edf";
  const auto r = run_streamdx({"stitch", "--bonn", bonn.string(), "-o", stitched.string(), "--seed",
                               "3", "--events", "3", "--background", "900", "--channels", "2"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  fs::create_directories(c.dir / "site-a");
  fs::copy_file(stitched, c.dir / "site-a" / "rec250.edf");
  fs::copy_file(fs::path(stitched).replace_extension(".csv_bi"),
                c.dir / "site-a" / "rec250.csv_bi");
  write_256_hz_copy(stitched, c.dir / "site-b" / "rec256.edf");
  return c;
}

// `streamdx run` on each recording: what the batch must reproduce.
void run_whole(const Corpus& c, const fs::path& out) {
  for (const fs::path& rec : c.recordings) {
    const auto r = run_streamdx(
        {"run", (c.dir / rec).string() + ".edf", "-o", (out / rec).string(), "--set", kMontage});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
}

// OUT/plan.json for the corpus.
fs::path make_plan(const Corpus& c, const fs::path& out, double chunk_minutes,
                   double overlap_s = 600) {
  fs::path plan = out / "plan.json";
  const auto r = run_streamdx({"batch", "plan", c.dir.string(), "-o", plan.string(), "--out",
                               out.string(), "--chunk-minutes", fmt::format("{}", chunk_minutes),
                               "--overlap", fmt::format("{}", overlap_s), "--set", kMontage});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return plan;
}

json::Json batch(const Corpus& c, const fs::path& out, double chunk_minutes, double overlap_s) {
  const fs::path plan = make_plan(c, out, chunk_minutes, overlap_s);
  auto r = run_streamdx({"batch", "run", plan.string(), "--jobs", "2"}, std::chrono::seconds(600));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = run_streamdx({"batch", "merge", plan.string()}, std::chrono::seconds(600));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::read_file(out / "report.json");
}

void expect_same_outputs(const Corpus& c, const fs::path& whole, const fs::path& chunked) {
  for (const fs::path& rec : c.recordings) {
    for (const char* ext : kDetectionFiles) {
      const fs::path name = rec.filename().string() + ext;
      const std::string a = read_file(whole / rec / name);
      ASSERT_FALSE(a.empty()) << whole / rec / name;
      EXPECT_TRUE(a == read_file(chunked / rec / name))
          << "chunked " << chunked / rec / name << " differs from the whole run's";
    }
  }
}

class BatchCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const fs::path bonn = testing::data_root() / "eeg" / "bonn";
    if (!fs::exists(bonn)) return;
    dir_ = testing::scratch_dir("batch");
    corpus_ = make_corpus(bonn, dir_);
    run_whole(corpus_, dir_ / "whole");
  }
  static fs::path dir_;
  static Corpus corpus_;
};
fs::path BatchCommand::dir_;
Corpus BatchCommand::corpus_;

TEST_F(BatchCommand, ChunkedRunsAreByteIdenticalToWholeRuns) {
  STREAMDX_DATA_OR_SKIP(bonn, "eeg/bonn");
  // A one-minute boundary falls inside a seizure: the event spans two chunks.
  const SeizureAnnotations ref = read_annotation_file(corpus_.dir / "site-a" / "rec250.csv_bi");
  bool boundary_inside_seizure = false;
  for (const auto& [a, b] : ref.seizures) {
    const double minute = std::ceil(a / 60) * 60;
    boundary_inside_seizure |= minute > a && minute < b;
  }
  ASSERT_TRUE(boundary_inside_seizure) << "pick a seed whose seizures straddle a minute";
  for (const double minutes : {1.0, 3.0, 7.0}) {
    SCOPED_TRACE(fmt::format("{} min chunks", minutes));
    const fs::path out = dir_ / fmt::format("chunks-{}", minutes);
    const json::Json report = batch(corpus_, out, minutes, 600);
    EXPECT_EQ(report["merged"], 2) << report.dump();
    EXPECT_EQ(report["chunks_rerun_from_start"], 0) << "600 s of warm-up reach the state";
    expect_same_outputs(corpus_, dir_ / "whole", out);
    const json::Json plan = json::read_file(out / "plan.json");
    EXPECT_GT(plan["tasks"].size(), 2 * static_cast<std::size_t>(15 / minutes)) << "chunked";
  }
}

TEST_F(BatchCommand, AShortWarmUpIsCaughtAndRerunFromTheStart) {
  STREAMDX_DATA_OR_SKIP(bonn, "eeg/bonn");
  const fs::path out = dir_ / "short-warm-up";
  const json::Json report = batch(corpus_, out, 2, 60);
  EXPECT_GT(report["chunks_rerun_from_start"].get<int>(), 0)
      << "60 s cannot hold two minutes of background history: the digests must differ";
  expect_same_outputs(corpus_, dir_ / "whole", out);
  const json::Json run = json::read_file(out / "site-a" / "rec250" / "run.json");
  EXPECT_GT(run["chunks_rerun_from_start"].get<int>(), 0) << run.dump();
}

TEST_F(BatchCommand, TasksAreIdempotentAndResumable) {
  STREAMDX_DATA_OR_SKIP(bonn, "eeg/bonn");
  const fs::path out = dir_ / "resume";
  const fs::path plan = make_plan(corpus_, out, 4);
  ASSERT_EQ(run_streamdx({"batch", "run", plan.string(), "--task", "0"}).exit_code, 0);
  // Finished: a second run returns at once, saying so.
  const auto again = run_streamdx({"batch", "run", plan.string(), "--task", "0"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.err.find("finished already"), std::string::npos) << again.err;
  // A task killed partway leaves no manifest: status calls it killed, and offers it again.
  {
    testing::ChildProcess killed({STREAMDX_BINARY, "batch", "run", plan.string(), "--task", "1"});
    const fs::path marker = out / ".batch" / "tasks" / "task-000001.running";
    for (int i = 0; i < 500 && !fs::exists(marker); ++i) usleep(10'000);
    killed.send_signal(SIGKILL);
    killed.wait();
  }
  auto status = run_streamdx({"batch", "status", plan.string(), "--json"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  json::Json s = json::parse(status.out, "status");
  EXPECT_EQ(s["done"], 1) << status.out;
  EXPECT_EQ(s["killed"], 1) << status.out;
  EXPECT_EQ(s["to_submit"].get<std::string>().substr(0, 2), "1-") << status.out;
  // Merging now names what is missing and writes nothing.
  const auto early = run_streamdx({"batch", "merge", plan.string()});
  EXPECT_NE(early.exit_code, 0);
  EXPECT_NE(early.err.find("have not finished"), std::string::npos) << early.err;
  EXPECT_FALSE(fs::exists(out / "report.txt"));
  // A result altered after the fact no longer verifies: it is run again.
  const fs::path result0 = out / ".batch" / "tasks" / "task-000000.result.json";
  testing::write_file(result0, read_file(result0) + " ");
  s = json::parse(run_streamdx({"batch", "status", plan.string(), "--json"}).out, "status");
  EXPECT_EQ(s["corrupt"], 1);
  // Resuming runs what is missing; the result is the whole run's.
  ASSERT_EQ(run_streamdx({"batch", "run", plan.string(), "--jobs", "2"}, std::chrono::seconds(600))
                .exit_code,
            0);
  s = json::parse(run_streamdx({"batch", "status", plan.string(), "--json"}).out, "status");
  EXPECT_EQ(s["done"], s["tasks"]) << s.dump();
  ASSERT_EQ(run_streamdx({"batch", "merge", plan.string()}).exit_code, 0);
  expect_same_outputs(corpus_, dir_ / "whole", out);
}

TEST_F(BatchCommand, SeveralTasksShareAProcess) {
  STREAMDX_DATA_OR_SKIP(bonn, "eeg/bonn");
  const fs::path out = dir_ / "grouped";
  const fs::path plan = make_plan(corpus_, out, 2);
  auto done = [&] {
    std::vector<std::size_t> indices;
    for (std::size_t t = 0; t < json::read_file(plan)["tasks"].size(); ++t) {
      if (fs::exists(out / ".batch" / "tasks" / fmt::format("task-{:06}.manifest.json", t))) {
        indices.push_back(t);
      }
    }
    return indices;
  };
  // Array task 1 of groups of 3: plan tasks 3, 4 and 5, one model load.
  auto r = run_streamdx({"batch", "run", plan.string(), "--task", "1", "--tasks-per-job", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(done(), (std::vector<std::size_t>{3, 4, 5}));
  r = run_streamdx({"batch", "run", plan.string(), "--tasks", "0,7-8"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(done(), (std::vector<std::size_t>{0, 3, 4, 5, 7, 8}));
  EXPECT_NE(run_streamdx({"batch", "run", plan.string(), "--tasks", "3-1"}).exit_code, 0);
  r = run_streamdx({"batch", "run", plan.string(), "--jobs", "2", "--tasks-per-job", "4"},
                   std::chrono::seconds(600));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(run_streamdx({"batch", "merge", plan.string()}).exit_code, 0);
  expect_same_outputs(corpus_, dir_ / "whole", out);
}

TEST_F(BatchCommand, AnUnreadableRecordingFailsAloneAndIsReportedAsFailed) {
  STREAMDX_DATA_OR_SKIP(bonn, "eeg/bonn");
  const fs::path corpus = dir_ / "with-bad";
  fs::create_directories(corpus);
  fs::copy(corpus_.dir / "site-a", corpus / "site-a");
  const std::string good = read_file(corpus_.dir / "site-a" / "rec250.edf");
  testing::write_file(corpus / "broken.edf", good.substr(0, 200));  // a truncated header
  const fs::path out = dir_ / "with-bad-out";
  const json::Json report = batch(Corpus{corpus, {"site-a/rec250"}}, out, 0, 600);
  EXPECT_EQ(report["merged"], 1) << report.dump();
  ASSERT_EQ(report["failed"].size(), 1U) << report.dump();
  EXPECT_NE(report["failed"][0]["error"].get<std::string>().find("broken.edf"), std::string::npos);
  const std::string text = read_file(out / "report.txt");
  EXPECT_NE(text.find("FAILED"), std::string::npos) << text;
  EXPECT_FALSE(fs::exists(out / "broken" / "broken.hyp")) << "no output that reads as no seizures";
  // The scored recording: its reference, per recording and pooled; every event in the CSV.
  EXPECT_EQ(report["scores"]["recordings"].size(), 1U) << report.dump();
  const std::string events = read_file(out / "events.csv");
  EXPECT_EQ(events.rfind("recording,start_s,stop_s,duration_s,confidence\n", 0), 0U) << events;
  EXPECT_NE(events.find("\nrec250,"), std::string::npos) << events;
  expect_same_outputs(Corpus{corpus, {"site-a/rec250"}}, dir_ / "whole", out);
}

}  // namespace
}  // namespace streamdx
