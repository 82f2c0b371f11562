#include "stages/eeg/CentredDelta.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace streamdx {
namespace {

// Runs a scalar sequence through a one-channel, one-column delta; returns (centre, delta) pairs.
std::vector<std::pair<double, double>> run(const std::vector<double>& x, std::size_t reach) {
  CentredDelta d(reach, 1);
  std::vector<std::pair<double, double>> out;
  for (const double v : x) {
    d.next_row()[0] = v;
    if (d.push()) out.emplace_back(d.centre()[0], d.delta()[0]);
  }
  while (d.drain()) out.emplace_back(d.centre()[0], d.delta()[0]);
  return out;
}

TEST(CentredDelta, RegressionSlopeOfAQuadraticIsItsDerivative) {
  std::vector<double> x(20);
  for (std::size_t j = 0; j < x.size(); ++j) x[j] = static_cast<double>(j * j);
  const auto out = run(x, 4);
  ASSERT_EQ(out.size(), x.size());
  for (std::size_t j = 4; j + 4 < x.size(); ++j) {
    EXPECT_EQ(out[j].first, x[j]);                                  // centre stays aligned
    EXPECT_DOUBLE_EQ(out[j].second, 2.0 * static_cast<double>(j));  // d(j^2)/dj
  }
}

TEST(CentredDelta, EdgesRepeatTheFirstAndLastRows) {
  const std::vector<double> x = {1, 2, 4, 8, 16};
  const auto out = run(x, 2);
  ASSERT_EQ(out.size(), x.size());
  // Padded: 1 1 [1 2 4 8 16] 16 16; denominator 2 * (1 + 4) = 10.
  EXPECT_DOUBLE_EQ(out[0].second, (1 * (2 - 1) + 2 * (4 - 1)) / 10.0);
  EXPECT_DOUBLE_EQ(out[1].second, (1 * (4 - 1) + 2 * (8 - 1)) / 10.0);
  EXPECT_DOUBLE_EQ(out[3].second, (1 * (16 - 4) + 2 * (16 - 2)) / 10.0);
  EXPECT_DOUBLE_EQ(out[4].second, (1 * (16 - 8) + 2 * (16 - 4)) / 10.0);
}

TEST(CentredDelta, SequencesShorterThanTheReachStillGiveOneOutputPerRow) {
  for (std::size_t n = 1; n <= 5; ++n) {
    const auto out = run(std::vector<double>(n, 3.0), 4);
    ASSERT_EQ(out.size(), n);
    for (const auto& [centre, delta] : out) {
      EXPECT_EQ(centre, 3.0);
      EXPECT_EQ(delta, 0.0);
    }
  }
}

TEST(CentredDelta, DerivesEveryColumnOfARow) {
  // Rows of 4 columns; column c grows by c + 1 per row, which is its delta away from the edges,
  // and the centre row is the one `reach` back.
  CentredDelta d(1, 4);
  int outputs = 0;
  for (int j = 0; j < 6; ++j) {
    const std::span<double> row = d.next_row();
    for (std::size_t c = 0; c < 4; ++c) row[c] = j * static_cast<double>(c + 1);
    if (!d.push()) continue;
    if (outputs++ == 0) continue;  // row 0: its past is row 0 repeated, so half the slope
    for (std::size_t c = 0; c < 4; ++c) {
      EXPECT_DOUBLE_EQ(d.delta()[c], static_cast<double>(c + 1));
      EXPECT_DOUBLE_EQ(d.centre()[c], (j - 1) * static_cast<double>(c + 1));
    }
  }
  EXPECT_EQ(outputs, 5);
}

TEST(CentredDelta, RejectsAZeroReach) {
  EXPECT_THROW(CentredDelta(0, 3), std::invalid_argument);
}

}  // namespace
}  // namespace streamdx
