// The demo check's rule on hand-made decisions: what passes, and each way to fail.
#include "training/DemoCheck.hpp"

#include <gtest/gtest.h>

namespace streamdx {
namespace {

// 120 one-second epochs, seizure on [first, last).
std::vector<EpochDecision> epochs_flagging(const std::vector<std::pair<int, int>>& spans) {
  std::vector<EpochDecision> epochs;
  for (int t = 0; t < 120; ++t) {
    bool seizure = false;
    for (const auto& [first, last] : spans) seizure = seizure || (t >= first && t < last);
    epochs.push_back(EpochDecision{double(t), double(t + 1), seizure, 0.8});
  }
  return epochs;
}

TEST(DemoCheck, AnEventInsideTheDischargePasses) {
  const DemoCheck d = judge_demo(epochs_flagging({{67, 80}}), 120, 60, 80);
  ASSERT_EQ(d.events.size(), 1U);
  EXPECT_EQ(d.events[0].start_s, 67.0);
  EXPECT_EQ(d.events[0].stop_s, 80.0);
  EXPECT_TRUE(d.passed());
  EXPECT_EQ(d.summary(), "flags 67-80 s; the discharge is at 60-80 s: passed");
}

TEST(DemoCheck, TheDecisionLagIsAllowedAndNoMore) {
  EXPECT_TRUE(judge_demo(epochs_flagging({{70, 82}}), 120, 60, 80).passed());
  EXPECT_FALSE(judge_demo(epochs_flagging({{70, 83}}), 120, 60, 80).passed());
  EXPECT_FALSE(judge_demo(epochs_flagging({{59, 70}}), 120, 60, 80).passed());
}

TEST(DemoCheck, NoEventOrAnAlarmOnTheBackgroundFails) {
  const DemoCheck none = judge_demo(epochs_flagging({}), 120, 60, 80);
  EXPECT_FALSE(none.passed());
  EXPECT_EQ(none.summary(), "no event; the discharge is at 60-80 s: FAILED");
  const DemoCheck extra = judge_demo(epochs_flagging({{10, 20}, {67, 80}}), 120, 60, 80);
  EXPECT_EQ(extra.events.size(), 2U);
  EXPECT_FALSE(extra.passed());
  EXPECT_EQ(extra.json()["passed"], false) << json::line(extra.json());
}

TEST(DemoCheck, WithoutADischargeOnlySilencePasses) {
  EXPECT_TRUE(judge_demo(epochs_flagging({}), 120, 60, 60).passed());
  EXPECT_FALSE(judge_demo(epochs_flagging({{60, 70}}), 120, 60, 60).passed());
}

}  // namespace
}  // namespace streamdx
