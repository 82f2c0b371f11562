#include "core/SpscRing.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

namespace streamdx {
namespace {

using Ring = SpscRing<std::uint64_t>;

std::unique_ptr<std::uint64_t> item(std::uint64_t v) {
  return std::make_unique<std::uint64_t>(v);
}

TEST(SpscRing, FifoOrderAndCounters) {
  Ring ring(4, FullPolicy::kBackPressure);
  for (std::uint64_t i = 0; i < 3; ++i) ASSERT_TRUE(ring.push(item(i)));
  EXPECT_EQ(ring.size(), 3U);
  for (std::uint64_t i = 0; i < 3; ++i) {
    auto got = ring.try_pop();
    ASSERT_TRUE(got);
    EXPECT_EQ(*got->value, i);
  }
  EXPECT_FALSE(ring.try_pop());
  EXPECT_EQ(ring.pushed(), 3U);
  EXPECT_EQ(ring.popped(), 3U);
  EXPECT_EQ(ring.dropped(), 0U);
}

TEST(SpscRing, DropOldestKeepsTheNewestAndCountsEveryDrop) {
  Ring ring(4, FullPolicy::kDropOldest);
  for (std::uint64_t i = 0; i < 10; ++i) ASSERT_TRUE(ring.push(item(i)));
  EXPECT_EQ(ring.dropped(), 6U);
  for (std::uint64_t expect = 6; expect < 10; ++expect) {
    auto got = ring.try_pop();
    ASSERT_TRUE(got);
    EXPECT_EQ(*got->value, expect);
  }
  EXPECT_EQ(ring.pushed(), ring.popped() + ring.dropped());
}

TEST(SpscRing, ReaderSeesHowLongAnItemWaited) {
  Ring ring(2, FullPolicy::kBackPressure);
  ASSERT_TRUE(ring.push(item(1)));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto got = ring.try_pop();
  ASSERT_TRUE(got);
  EXPECT_GE(got->age_ns(), 20'000'000);
  EXPECT_LT(got->age_ns(), 20'000'000'000);  // sanity: the stamp is from this run's clock
}

TEST(SpscRing, CloseDeliversEverythingThenEnds) {
  Ring ring(8, FullPolicy::kBackPressure);
  ASSERT_TRUE(ring.push(item(7)));
  ring.close();
  auto got = ring.pop();
  ASSERT_TRUE(got);
  EXPECT_EQ(*got->value, 7U);
  EXPECT_FALSE(ring.pop());
}

TEST(SpscRing, CancelReleasesABlockedProducer) {
  Ring ring(1, FullPolicy::kBackPressure);
  ASSERT_TRUE(ring.push(item(0)));
  std::atomic<int> result{-1};
  std::thread producer([&] { result = ring.push(item(1)) ? 1 : 0; });  // blocks: ring is full
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(result.load(), -1);
  ring.cancel();
  producer.join();
  EXPECT_EQ(result.load(), 0);
}

// Producer and consumer on their own threads, the consumer deliberately slower at times.
struct StressOutcome {
  std::uint64_t received = 0;
  std::uint64_t gaps = 0;  // items missing between consecutive received values
  bool ordered = true;     // strictly increasing, so no duplicate and no reordering
};

StressOutcome stress(Ring& ring, std::uint64_t n) {
  std::thread producer([&] {
    for (std::uint64_t i = 0; i < n; ++i) ASSERT_TRUE(ring.push(item(i)));
    ring.close();
  });
  StressOutcome out;
  std::uint64_t expected_next = 0;
  while (auto got = ring.pop()) {
    const std::uint64_t v = *got->value;
    if (v < expected_next) out.ordered = false;
    out.gaps += v - expected_next;
    expected_next = v + 1;
    ++out.received;
    if ((v & 0xFFFF) == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  out.gaps += n - expected_next;
  producer.join();
  return out;
}

TEST(SpscRingStress, BackPressureLosesDuplicatesAndReordersNothing) {
  // Four independent producer/consumer pairs at once: eight threads hammering four rings.
  constexpr std::uint64_t kItems = 1'000'000;
  std::vector<std::unique_ptr<Ring>> rings;
  std::vector<StressOutcome> outcomes(4);
  for (std::size_t i = 0; i < 4; ++i)
    rings.push_back(std::make_unique<Ring>(64, FullPolicy::kBackPressure));
  std::vector<std::thread> consumers;
  for (std::size_t i = 0; i < 4; ++i)
    consumers.emplace_back([&, i] { outcomes[i] = stress(*rings[i], kItems); });
  for (auto& t : consumers) t.join();
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(outcomes[i].received, kItems) << "ring " << i;
    EXPECT_EQ(outcomes[i].gaps, 0U) << "ring " << i;
    EXPECT_TRUE(outcomes[i].ordered) << "ring " << i;
    EXPECT_EQ(rings[i]->dropped(), 0U);
  }
}

TEST(SpscRingStress, DropOldestCountsExactlyTheMissingItems) {
  constexpr std::uint64_t kItems = 2'000'000;
  Ring ring(32, FullPolicy::kDropOldest);
  const StressOutcome out = stress(ring, kItems);
  EXPECT_TRUE(out.ordered);
  EXPECT_GT(ring.dropped(), 0U) << "the consumer's pauses should have forced drops";
  EXPECT_EQ(out.gaps, ring.dropped());
  EXPECT_EQ(out.received + ring.dropped(), kItems);
}

}  // namespace
}  // namespace streamdx
