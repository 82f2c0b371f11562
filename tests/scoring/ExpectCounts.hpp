#pragma once
// Event counts compared with a hand-worked expectation, in the scoring tests.
#include <gtest/gtest.h>

#include "scoring/EventScoring.hpp"

namespace streamdx::testing {

inline void expect_counts(const EventCounts& c, double hits, double misses, double fa) {
  EXPECT_DOUBLE_EQ(c.hits, hits);
  EXPECT_DOUBLE_EQ(c.misses, misses);
  EXPECT_DOUBLE_EQ(c.false_alarms, fa);
}

}  // namespace streamdx::testing
