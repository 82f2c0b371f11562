#include "core/NaturalLog.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

namespace streamdx {
namespace {

// How many representable doubles apart a and b are (same sign assumed, as for logs of the same x).
std::int64_t ulps_apart(double a, double b) {
  if (std::signbit(a) != std::signbit(b)) return a == b ? 0 : INT64_MAX;
  const std::int64_t d = std::bit_cast<std::int64_t>(a) - std::bit_cast<std::int64_t>(b);
  return d < 0 ? -d : d;
}

struct Agreement {
  std::int64_t worst_ulps = 0;
  double worst_x = 0;
  std::size_t differing = 0;
  std::size_t count = 0;

  void check(double x) {
    const std::int64_t d = ulps_apart(natural_log(x, natural_log_detail::intervals()), std::log(x));
    if (d > worst_ulps) {
      worst_ulps = d;
      worst_x = x;
    }
    differing += d != 0 ? 1 : 0;
    ++count;
  }
};

TEST(NaturalLog, WithinOneUlpOfLibmAcrossTheNormalRange) {
  Agreement a;
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> exponent(-708.0, 709.0);
  for (int i = 0; i < 1'000'000; ++i) a.check(std::exp(exponent(random)));
  EXPECT_LE(a.worst_ulps, 1) << "at x = " << a.worst_x;
  // libm is correctly rounded in almost every case, and so is natural_log away from x = 1.
  EXPECT_LT(a.differing, a.count / 1000) << a.differing << " of " << a.count << " differ";
}

TEST(NaturalLog, WithinOneUlpNearOneWhereTheResultIsSmall) {
  Agreement a;
  std::mt19937_64 random(8);
  std::uniform_real_distribution<double> offset(-1.0 / 32, 1.0 / 32);
  for (int i = 0; i < 300'000; ++i) {
    const double d = offset(random);
    a.check(1.0 + d);
    a.check(1.0 + d * 1e-9);
  }
  EXPECT_LE(a.worst_ulps, 1) << "at x = " << a.worst_x;
}

TEST(NaturalLog, ZeroAtOneAndWithinOneUlpAtPowersOfTwoAndRangeEdges) {
  const auto& table = natural_log_detail::intervals();
  EXPECT_EQ(natural_log(1.0, table), 0.0);
  Agreement a;
  for (int e = -1021; e <= 1023; ++e) {  // 0.6875 x 2^-1022 would be subnormal
    // Powers of two, and the ends of z's range [0.6875, 1.375) where k steps.
    a.check(std::ldexp(1.0, e));
    a.check(std::ldexp(0.6875, e));
    a.check(std::nextafter(std::ldexp(1.375, e), 0.0));
    a.check(std::nextafter(std::ldexp(1.0, e), 0.0));
  }
  EXPECT_LE(a.worst_ulps, 1) << "at x = " << a.worst_x;
}

TEST(NaturalLog, NanAndInfinityPassThroughAsFromStdLog) {
  const auto& table = natural_log_detail::intervals();
  EXPECT_TRUE(std::isnan(natural_log(std::numeric_limits<double>::quiet_NaN(), table)));
  EXPECT_EQ(natural_log(std::numeric_limits<double>::infinity(), table),
            std::numeric_limits<double>::infinity());
  EXPECT_EQ(natural_log(std::numeric_limits<double>::max(), table),
            std::log(std::numeric_limits<double>::max()));
}

TEST(NaturalLog, EveryTableIntervalIsCovered) {
  // One x inside each of the 128 intervals at several scales: the index and the centre agree.
  Agreement a;
  for (std::size_t i = 0; i < natural_log_detail::kIntervals; ++i) {
    const std::uint64_t bits =
        natural_log_detail::kOffset +
        (std::uint64_t{i} << (natural_log_detail::kMantissaBits - natural_log_detail::kIndexBits)) +
        12345;
    const double z = std::bit_cast<double>(bits);
    for (const double scale : {1e-6, 0.5, 1.0, 2.0, 1e6}) a.check(z * scale);
  }
  EXPECT_LE(a.worst_ulps, 1) << "at x = " << a.worst_x;
}

}  // namespace
}  // namespace streamdx
