// SpscRing against a mutex+deque queue, measured in the same run:
// - Transfer: a producer thread streams frames-sized items to the consumer as fast as it can;
//   items/s, plus the p50/p99 time an item waited in the queue.
// - PingPong: one item in flight, bounced between two threads over two queues; half the round
//   trip is the hand-off latency an idle pipeline sees.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "MutexDequeQueue.hpp"
#include "core/Frame.hpp"
#include "core/SpscRing.hpp"

namespace streamdx {
namespace {

template <class Q>
Q make_queue(std::size_t capacity) {
  if constexpr (std::is_same_v<Q, SpscRing<Frame>>) {
    return Q(capacity, FullPolicy::kBackPressure);
  } else {
    return Q(capacity);
  }
}

double percentile(std::vector<MonoNs>& v, double p) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return static_cast<double>(v[k]);
}

template <class Q>
void BM_Transfer(benchmark::State& state) {
  constexpr std::size_t kItems = 200'000;
  std::vector<MonoNs> waits;
  waits.reserve(kItems / 16 + 1);
  for (auto _ : state) {
    Q q = make_queue<Q>(static_cast<std::size_t>(state.range(0)));
    std::thread producer([&] {
      for (std::size_t i = 0; i < kItems; ++i) {
        auto f = std::make_unique<Frame>();
        f->sequence = i;
        q.push(std::move(f));
      }
      q.close();
    });
    std::size_t n = 0;
    while (auto item = q.pop()) {
      if ((n++ & 15) == 0) waits.push_back(item->age_ns());
      benchmark::DoNotOptimize(item->value->sequence);
    }
    producer.join();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<benchmark::IterationCount>(kItems));
  state.counters["wait_p50_ns"] = percentile(waits, 0.50);
  state.counters["wait_p99_ns"] = percentile(waits, 0.99);
}

template <class Q>
void BM_PingPong(benchmark::State& state) {
  constexpr int kRounds = 20'000;
  for (auto _ : state) {
    Q there = make_queue<Q>(4);
    Q back = make_queue<Q>(4);
    std::thread echo([&] {
      while (auto item = there.pop()) back.push(std::move(item->value));
      back.close();
    });
    const MonoNs start = monotonic_ns();
    for (int i = 0; i < kRounds; ++i) {
      there.push(std::make_unique<Frame>());
      benchmark::DoNotOptimize(back.pop());
    }
    const MonoNs elapsed = monotonic_ns() - start;
    there.close();
    echo.join();
    state.counters["one_way_ns"] = static_cast<double>(elapsed) / (2.0 * kRounds);
  }
}

BENCHMARK_TEMPLATE(BM_Transfer, SpscRing<Frame>)
    ->Name("Transfer/SpscRing")
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_TEMPLATE(BM_Transfer, MutexDequeQueue<Frame>)
    ->Name("Transfer/MutexDeque")
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_TEMPLATE(BM_PingPong, SpscRing<Frame>)
    ->Name("PingPong/SpscRing")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_TEMPLATE(BM_PingPong, MutexDequeQueue<Frame>)
    ->Name("PingPong/MutexDeque")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace streamdx

BENCHMARK_MAIN();
