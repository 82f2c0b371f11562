// The rhythm sweep's report on hand-made demo checks: which rhythms pass, which stay silent,
// which raise an event outside the discharge, and the JSON that carries each check.
#include "training/DemoRhythmSweep.hpp"

#include <gtest/gtest.h>

namespace streamdx {
namespace {

// A demo check at `hz` whose model flagged `events` (start, stop) on a 60-80 s discharge.
DemoCheck check_at(double hz, const std::vector<std::pair<double, double>>& events) {
  DemoCheck c;
  c.duration_s = 120;
  c.discharge_start_s = 60;
  c.discharge_stop_s = 80;
  c.pattern = "fixed";
  c.discharge_hz = hz;
  for (const auto& [start, stop] : events)
    c.events.push_back(LabelledSegment{start, stop, true, 0.8});
  return c;
}

TEST(DemoRhythmSweep, SortsEachRhythmIntoPassedSilentOrMisplaced) {
  const DemoRhythmSweep sweep{{check_at(2, {{67, 80}}), check_at(2.5, {{66, 81}}),
                               check_at(3.5, {}), check_at(5, {{10, 20}, {67, 80}}),
                               check_at(6, {})}};
  EXPECT_EQ(sweep.passed_count(), 2U);
  EXPECT_EQ(sweep.summary(),
            "passes at 2, 2.5 Hz (2 of 5 rhythms); no event at 3.5, 6 Hz; events outside the "
            "discharge at 5 Hz");
}

TEST(DemoRhythmSweep, NamesTheCaseWhereNoRhythmPasses) {
  const DemoRhythmSweep sweep{{check_at(3, {}), check_at(4, {})}};
  EXPECT_EQ(sweep.passed_count(), 0U);
  EXPECT_EQ(sweep.summary(), "passes at no rhythm (0 of 2 rhythms); no event at 3, 4 Hz");
}

TEST(DemoRhythmSweep, TheJsonCarriesEveryCheckWithItsRhythm) {
  const DemoRhythmSweep sweep{{check_at(3, {{67, 80}}), check_at(4, {})}};
  const json::Json j = sweep.json();
  EXPECT_EQ(j["passed"], 1) << json::line(j);
  EXPECT_EQ(j["swept"], 2);
  EXPECT_EQ(j["summary"].get<std::string>().rfind("passes at 3 Hz (1 of 2 rhythms)", 0), 0U);
  ASSERT_EQ(j["rhythms"].size(), 2U);
  EXPECT_EQ(j["rhythms"][0]["discharge_hz"], 3.0);
  EXPECT_EQ(j["rhythms"][1]["discharge_hz"], 4.0);
  EXPECT_EQ(j["rhythms"][0]["events"][0]["start_s"], 67.0);
  EXPECT_EQ(j["rhythms"][0]["events"][0]["stop_s"], 80.0);
}

}  // namespace
}  // namespace streamdx
