// Event scoring on hand-worked cases (the numbers in the comments are worked by hand from the
// definitions in src/scoring/EventScoring.hpp), and the score command's contract.
#include "scoring/EventScoring.hpp"

#include <gtest/gtest.h>

#include "scoring/ExpectCounts.hpp"

#include <fstream>

#include "core/Json.hpp"
#include "support/ChildProcess.hpp"

namespace streamdx {
namespace {

using testing::expect_counts;

TEST(EventScoring, OneHypothesisOverlappingTwoReferences) {
  const std::vector<Interval> ref = {{10, 20}, {30, 40}};
  const std::vector<Interval> hyp = {{15, 35}};
  expect_counts(score_ovlp(ref, hyp), 2, 0, 0);
  // TAES: 5 of the first event's 10 s are covered (hit 0.5, miss 0.5), the 15 s after it are
  // a false alarm capped at one event (1.0), and the second event is a whole miss.
  expect_counts(score_taes(ref, hyp), 0.5, 1.5, 1.0);
}

TEST(EventScoring, EventsTouchingAtABoundaryDoNotOverlap) {
  const std::vector<Interval> ref = {{10, 20}};
  const std::vector<Interval> hyp = {{20, 30}};
  expect_counts(score_ovlp(ref, hyp), 0, 1, 1);
  expect_counts(score_taes(ref, hyp), 0, 1, 1);
  EXPECT_TRUE(onset_latencies(ref, hyp).empty());
}

// NEDC v6.0.0's TAES pairs events by whole seconds once a reference is taken up (see
// EventScoring.hpp); worked by hand through its compute() order.
TEST(EventScoring, TaesPairsAHypothesisTouchingATakenUpReferenceAsNedcDoes) {
  // A [5, 20] takes the reference up: hit 1, and its 5 s before are a false alarm of 0.5.
  // B [20, 25] only touches the reference, but seconds 10..20 and 20..25 share second 20, so
  // NEDC scores it against the reference too: hit 0, miss 1, false alarm 5/10.
  const std::vector<Interval> ref = {{10, 20}};
  const std::vector<Interval> hyp = {{5, 20}, {20, 25}};
  expect_counts(score_taes(ref, hyp), 1.0, 1.0, 1.0);
  expect_counts(score_ovlp(ref, hyp), 1, 0, 1);  // OVLP pairs by time: B is a false alarm
}

TEST(EventScoring, TaesCountsAHypothesisLessThanASecondBeforeAReferenceWithANegativeHit) {
  // Reference [10.5, 20.5] (10 s). Z [9.5, 10.25] ends 0.25 s before it but shares second 10:
  // hit (10.25 - 10.5) / 10 = -0.025, false alarm 1 / 10 = 0.1, miss 1.025. A [12.5, 14.5]
  // inside it then adds hit 0.2 (and takes 0.2 off the miss).
  const std::vector<Interval> ref = {{10.5, 20.5}};
  const std::vector<Interval> hyp = {{9.5, 10.25}, {12.5, 14.5}};
  const EventCounts c = score_taes(ref, hyp);
  EXPECT_NEAR(c.hits, 0.175, 1e-12);
  EXPECT_NEAR(c.misses, 0.825, 1e-12);
  EXPECT_NEAR(c.false_alarms, 0.1, 1e-12);
  // Without A nothing overlaps the reference in time, so it is never taken up: a whole miss,
  // and Z a whole false alarm.
  expect_counts(score_taes(ref, {{9.5, 10.25}}), 0, 1, 1);
}

TEST(EventScoring, AnEmptyHypothesisMissesEverything) {
  const std::vector<Interval> ref = {{10, 20}, {50, 55}};
  expect_counts(score_ovlp(ref, {}), 0, 2, 0);
  expect_counts(score_taes(ref, {}), 0, 2, 0);
  const EventMetrics m = event_metrics(score_ovlp(ref, {}), 3600);
  EXPECT_EQ(m.sensitivity, 0.0);
  EXPECT_EQ(m.precision, 0.0);
  EXPECT_EQ(m.f1, 0.0);
  EXPECT_EQ(m.false_alarms_per_24h, 0.0);
}

TEST(EventScoring, FilesWithoutSeizuresScoreOnlyFalseAlarms) {
  expect_counts(score_ovlp({}, {}), 0, 0, 0);
  const EventCounts c = score_ovlp({}, {{100, 110}});
  expect_counts(c, 0, 0, 1);
  // One false alarm in 12 hours is two per 24 hours.
  EXPECT_DOUBLE_EQ(event_metrics(c, 12 * 3600).false_alarms_per_24h, 2.0);
}

TEST(EventScoring, SeveralHypothesesInsideOneReferenceAddUp) {
  const std::vector<Interval> ref = {{0, 100}};
  const std::vector<Interval> hyp = {{10, 20}, {50, 70}};
  expect_counts(score_ovlp(ref, hyp), 1, 0, 0);
  expect_counts(score_taes(ref, hyp), 0.3, 0.7, 0);  // 10 s + 20 s of 100 s
}

TEST(EventScoring, EarlyAndLateHypothesesEarnPartialCredit) {
  expect_counts(score_taes({{10, 20}}, {{5, 15}}), 0.5, 0.5, 0.5);
  expect_counts(score_taes({{10, 20}}, {{12, 40}}), 0.8, 0.2, 1.0);  // 20 s after: capped
  expect_counts(score_taes({{10, 20}}, {{0, 30}}), 1.0, 0.0, 1.0);   // 20 s outside: capped
  const EventMetrics m = event_metrics(EventCounts{3, 1, 1}, 86400);
  EXPECT_DOUBLE_EQ(m.sensitivity, 0.75);
  EXPECT_DOUBLE_EQ(m.precision, 0.75);
  EXPECT_DOUBLE_EQ(m.f1, 0.75);
  EXPECT_DOUBLE_EQ(m.false_alarms_per_24h, 1.0);
}

TEST(EventScoring, OnsetLatencyRunsFromTheReferenceOnsetToTheFirstOverlappingHypothesis) {
  const std::vector<Interval> ref = {{10, 20}, {50, 60}, {100, 110}};
  const std::vector<Interval> hyp = {{12, 30}, {95, 105}, {106, 120}};
  const std::vector<double> l = onset_latencies(ref, hyp);
  ASSERT_EQ(l.size(), 2U);
  EXPECT_DOUBLE_EQ(l[0], 2.0);
  EXPECT_DOUBLE_EQ(l[1], -5.0);  // a detection that starts early counts negative
}

TEST(EpochScoring, CountsQuarterSecondEpochsAtTheirMidpoints) {
  // 8 epochs of 0.25 s in 2 s; the reference covers midpoints 0.125-0.875, the hypothesis
  // 0.625-1.375: 2 in both, 2 reference only, 2 hypothesis only.
  expect_counts(score_epochs({{0, 1}}, {{0.5, 1.5}}, 2.0), 2, 2, 2);
  expect_counts(score_epochs({}, {}, 2.0), 0, 0, 0);
  expect_counts(score_epochs({{0, 2}}, {}, 2.0), 0, 8, 0);
}

TEST(EpochScoring, SamplesAsNedcDoesAtTheEndAndOnBoundaries) {
  // 1.2 s: samples at 0.125, 0.375, 0.625, 0.875 and 1.125 (NEDC samples while t <= the
  // duration). On a boundary the earlier entry of the background-filled timeline wins: 0.375 is
  // background (it ends [0, 0.375]), 0.875 is still the reference event's; for the hypothesis
  // 0.875 is background and 1.125 seizure.
  const EventCounts c = score_epochs({{0.375, 0.875}}, {{0.875, 1.2}}, 1.2);
  expect_counts(c, 0, 2, 1);
  // NEDC's EPOCH false-alarm rate is false-alarm time: one 0.25 s epoch in 1.2 s.
  EXPECT_DOUBLE_EQ(epoch_metrics(c, 1.2).false_alarms_per_24h, 0.25 / 1.2 * 86400);
}

void write_csv_bi(const std::filesystem::path& p, const std::string& duration,
                  const std::vector<Interval>& events) {
  std::ofstream out(p);
  out << "# version = csv_v1.0.0\n# bname = " << p.stem().string() << "\n# duration = " << duration
      << " secs\n#\nchannel,start_time,stop_time,label,confidence\n";
  for (const auto& [a, b] : events) out << "TERM," << a << "," << b << ",seiz,1.0000\n";
}

TEST(ScoreCommand, ListsPairByOrderAndMismatchedDurationsNameBothFiles) {
  const auto dir = testing::scratch_dir("score");
  write_csv_bi(dir / "r1.csv_bi", "3600.0000", {{10, 20}, {30, 40}});
  write_csv_bi(dir / "h1.csv_bi", "3600.0000", {{15, 35}});
  write_csv_bi(dir / "r2.csv_bi", "39600.0000", {});
  write_csv_bi(dir / "h2.csv_bi", "39600.0000", {{100, 110}});
  std::ofstream(dir / "ref.list") << "r1.csv_bi\nr2.csv_bi\n";
  std::ofstream(dir / "hyp.list") << "h1.csv_bi\nh2.csv_bi\n";
  const auto r = testing::run_streamdx(
      {"score", (dir / "ref.list").string(), (dir / "hyp.list").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // 12 h in all; OVLP: 2 hits, 1 false alarm (the second file) = 2 per 24 h. Onset latencies:
  // 15 - 10 = 5 s, and 15 - 30 = -15 s for the second event (the hypothesis began first).
  const json::Json j = json::parse(r.out, "score");
  EXPECT_EQ(j["duration_s"], 43200.0) << r.out;
  const json::Json expected_ovlp = {{"hits", 2.0},
                                    {"misses", 0.0},
                                    {"false_alarms", 1.0},
                                    {"sensitivity", 1.0},
                                    {"precision", 2.0 / 3.0},
                                    {"f1", 0.8},
                                    {"false_alarms_per_24h", 2.0}};
  for (const auto& [key, value] : expected_ovlp.items()) {
    EXPECT_NEAR(j["ovlp"][key].get<double>(), value.get<double>(), 1e-12) << key;
  }
  EXPECT_EQ(j["taes"]["hits"], 0.5);
  EXPECT_EQ(j["taes"]["misses"], 1.5);
  EXPECT_EQ(j["taes"]["false_alarms"], 2.0);
  // SzCORE merges the two references (10 s apart) into one event.
  EXPECT_EQ(j["szcore"]["hits"], 1.0);
  EXPECT_EQ(j["szcore"]["misses"], 0.0);
  EXPECT_EQ(j["szcore"]["false_alarms"], 1.0);
  const json::Json latency = {{"detected", 2}, {"median", -5.0}, {"p90", 3.0}, {"max", 5.0}};
  EXPECT_EQ(j["onset_latency_s"], latency) << r.out;

  write_csv_bi(dir / "h3.csv_bi", "3599.0000", {});
  const auto bad =
      testing::run_streamdx({"score", (dir / "r1.csv_bi").string(), (dir / "h3.csv_bi").string()});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("durations differ: "), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("r1.csv_bi says 3600.0000 secs"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("h3.csv_bi says 3599.0000 secs"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace streamdx

namespace streamdx {
namespace {

// A hypothesis from a run that stopped early covers only part of the recording: scoring it as
// whole would count every later seizure as missed. `score` refuses it, naming the file.
TEST(ScoreCommand, AnIncompleteHypothesisIsRefusedNamingIt) {
  const auto dir = testing::scratch_dir("score-incomplete");
  write_csv_bi(dir / "ref.csv_bi", "600.0000", {{100, 120}});
  {
    std::ofstream out(dir / "hyp.csv_bi");
    out << "# version = csv_v1.0.0\n# bname = hyp\n# duration = 600.0000 secs\n"
           "# INCOMPLETE: the run stopped at 42.0000 s (stop requested)\n#\n"
           "channel,start_time,stop_time,label,confidence\nTERM,0.0000,42.0000,bckg,0.9000\n";
  }
  const auto r = testing::run_streamdx(
      {"score", (dir / "ref.csv_bi").string(), (dir / "hyp.csv_bi").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find((dir / "hyp.csv_bi").string() + ": the run that wrote it stopped early"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("INCOMPLETE: the run stopped at 42.0000 s"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace streamdx

namespace streamdx {
namespace {

// References in the SeizeIT and BIDS formats score like their csv_bi equivalents.
TEST(ScoreCommand, SeizeItAndBidsReferencesScoreLikeCsvBi) {
  const auto dir = testing::scratch_dir("score-formats");
  write_csv_bi(dir / "r.csv_bi", "3600.0000", {{100, 150}, {2000, 2100}});
  write_csv_bi(dir / "h.csv_bi", "3600.0000", {{110, 130}, {3000, 3010}});
  std::ofstream(dir / "rec_a1.tsv")
      << "# Source: SeizeIt1\n\n100\t150\tFIA\tx\n2000\t2100\tFIA\tx\n";
  std::ofstream(dir / "rec_events.tsv") << "onset\tduration\teventType\trecordingDuration\n100\t50"
                                           "\tsz\t3600\n2000\t100\tsz_foc\t3600\n";
  const auto score = [&](const char* ref) {
    const auto r = testing::run_streamdx(
        {"score", (dir / ref).string(), (dir / "h.csv_bi").string(), "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, "score");
  };
  const json::Json csv = score("r.csv_bi");
  EXPECT_EQ(csv["ovlp"]["hits"], 1.0);
  for (const char* other : {"rec_a1.tsv", "rec_events.tsv"}) {
    const json::Json j = score(other);
    for (const char* key : {"ovlp", "taes", "szcore", "epoch_0_25s"}) {
      EXPECT_EQ(j[key], csv[key]) << other << " " << key;
    }
  }
}

}  // namespace
}  // namespace streamdx
