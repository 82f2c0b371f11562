#pragma once
// natural_log(x): ln x for positive, normal, finite doubles, written in plain double and
// integer operations so that a loop of them vectorises (libm's log is a scalar call, and
// libmvec's vector log needs -ffast-math). The LFCC takes nine logarithms per channel and frame,
// and libm's were a third of its instructions.
//
// Method (the classic table-driven one): x = 2^k z with z in [0.6875, 1.375); the top 7 bits of
// z's offset mantissa pick an interval of 128 and its short centre c, so that z - c is exact;
// then ln x = k ln 2 + ln c + ln(1 + r), r = (z - c) / c with |r| < 1/128, the last term a
// degree-8 Taylor polynomial (truncation below 2^-60 of r). The two intervals next to 1 use
// c = 1 exactly, so ln x keeps its relative accuracy near x = 1. ln c and ln 2 are carried in two
// parts and the sum is ordered so that only the last addition rounds noticeably: the result is
// within about 0.5 ulp of ln x, as libm's is (NaturalLogTest checks against std::log).
//
// No multiply-add is contracted (cmake/Arithmetic.cmake), so every SIMD clone gives the same
// bits. NaN and +inf are returned unchanged, as std::log returns them; zero, negative and
// subnormal inputs are out of contract: callers floor their argument first, as the LFCC does.
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>

namespace streamdx {

namespace natural_log_detail {

inline constexpr int kIndexBits = 7;
inline constexpr std::size_t kIntervals = std::size_t{1} << kIndexBits;
// z's range starts here: 0.6875, as bits. The intervals are equal steps of its offset bits.
inline constexpr std::uint64_t kOffset = 0x3fe6000000000000ULL;
inline constexpr int kMantissaBits = 52;

struct Interval {
  double centre;      // c, with at most 20 significant bits so that z - c is exact
  double reciprocal;  // 1 / c, rounded
  double log_high;    // ln c = log_high + log_low
  double log_low;
};

inline const std::array<Interval, kIntervals>& intervals() {
  static const std::array<Interval, kIntervals> table = [] {
    std::array<Interval, kIntervals> t{};
    for (std::size_t i = 0; i < kIntervals; ++i) {
      // The interval's first and last z: the doubles whose bits map to index i at k = 0.
      constexpr int kStep = kMantissaBits - kIndexBits;
      const std::uint64_t first_bits = kOffset + (std::uint64_t{i} << kStep);
      const double lo = std::bit_cast<double>(first_bits);
      const double hi = std::bit_cast<double>(first_bits + (std::uint64_t{1} << kStep) - 1);
      // The two intervals that meet at 1 take c = 1, which makes r = z - 1 exact; the others
      // their midpoint, to 20 significant bits.
      const bool touches_one = lo == 1.0 || std::nextafter(hi, 2.0) == 1.0;
      const double c =
          touches_one ? 1.0 : std::ldexp(std::round(std::ldexp((lo + hi) / 2, 19)), -19);
      const long double ln_c = std::log(static_cast<long double>(c));
      t[i].centre = c;
      t[i].reciprocal = 1.0 / c;
      // A multiple of 2^-42, like k ln 2's high part: their sum is then exact.
      t[i].log_high = static_cast<double>(std::ldexp(std::round(std::ldexp(ln_c, 42)), -42));
      t[i].log_low = static_cast<double>(ln_c - static_cast<long double>(t[i].log_high));
    }
    return t;
  }();
  return table;
}

}  // namespace natural_log_detail

// ln x for a positive normal x; `table` is natural_log_detail::intervals(), passed in so that a
// loop fetches it once.
[[gnu::always_inline]] inline double natural_log(
    double x,
    const std::array<natural_log_detail::Interval, natural_log_detail::kIntervals>& table) {
  using namespace natural_log_detail;
  // ln 2 in two parts; the high part has 33 significant bits, so k * kLn2High is exact.
  constexpr double kLn2High = 0x1.62e42fefp-1;
  constexpr double kLn2Low = 0x1.473de6af278edp-34;
  constexpr double kTwo52 = 4503599627370496.0;

  const auto bits = std::bit_cast<std::uint64_t>(x);
  const std::uint64_t offset = bits - kOffset;
  const std::uint64_t index = (offset >> (kMantissaBits - kIndexBits)) % kIntervals;
  // k: the top 12 bits of `offset`, a two's-complement number. Flipping their sign bit gives
  // k + 2048 as an unsigned number, made a double without an int64 conversion (AVX2 has none)
  // or a branch (which keeps GCC from vectorising): 2^52 + (k + 2048) as bits, minus both.
  const std::uint64_t k12 = offset >> kMantissaBits;
  const double k = std::bit_cast<double>((k12 ^ 2048U) | std::bit_cast<std::uint64_t>(kTwo52)) -
                   (kTwo52 + 2048.0);
  const double z = std::bit_cast<double>(bits - (k12 << kMantissaBits));

  const Interval& in = table[index];
  const double r = (z - in.centre) * in.reciprocal;
  // ln(1 + r) = r + r^2 p(r), Taylor.
  double p = -1.0 / 8;
  p = p * r + 1.0 / 7;
  p = p * r - 1.0 / 6;
  p = p * r + 1.0 / 5;
  p = p * r - 1.0 / 4;
  p = p * r + 1.0 / 3;
  p = p * r - 1.0 / 2;
  const double w = k * kLn2High + in.log_high;  // exact: multiples of 2^-42 below 2^10
  const double high = w + r;
  const double low = (w - high) + r;  // the rounding error of `high`, exactly (|w| >= |r| or w = 0)
  const double result = high + (low + (k * kLn2Low + in.log_low + (r * r) * p));
  // NaN and +inf (exponent all ones) come back as they are, as from std::log: a bad sample must
  // not turn into a plausible feature. Blended with integer masks: a ?: here made GCC branch
  // and stop vectorising the loop.
  constexpr std::uint64_t kExponent = 0x7ffULL;
  const std::uint64_t special = ((bits >> kMantissaBits) & kExponent) == kExponent ? 1U : 0U;
  const std::uint64_t keep_x = std::uint64_t{0} - special;
  return std::bit_cast<double>((std::bit_cast<std::uint64_t>(result) & ~keep_x) | (bits & keep_x));
}

}  // namespace streamdx
