#include "core/Pipeline.hpp"

#include "core/CallbackSink.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace streamdx {
namespace {

// Frame k holds the value k in every sample; `limit` 0 means endless.
struct CountingSource {
  static constexpr std::string_view kName = "count";
  std::uint64_t limit = 0;
  std::uint64_t next = 0;

  [[nodiscard]] StreamInfo info() const { return {3, FrameShape{2, 5}, 50.0}; }
  std::optional<SourceBlockInfo> produce(std::span<float> out, const std::stop_token& stop) {
    if (stop.stop_requested() || (limit != 0 && next == limit)) return std::nullopt;
    std::fill(out.begin(), out.end(), static_cast<float>(next));
    SourceBlockInfo b{static_cast<std::int64_t>(next) * 100'000'000, 0};
    ++next;
    return b;
  }
};

struct AddOne {
  static constexpr std::string_view kName = "add-one";
  StreamInfo configure(const StreamInfo& in) { return in; }
  bool process(std::span<const float> in, std::span<float> out) {
    std::transform(in.begin(), in.end(), out.begin(), [](float v) { return v + 1.0F; });
    return true;
  }
};

// Outputs each input two frames late, like a filter with look-ahead; flush() drains.
struct DelayTwo {
  static constexpr std::string_view kName = "delay-two";
  std::deque<std::vector<float>> held;
  StreamInfo configure(const StreamInfo& in) { return in; }
  [[nodiscard]] std::size_t delay_frames() const { return 2; }
  bool process(std::span<const float> in, std::span<float> out) {
    held.emplace_back(in.begin(), in.end());
    if (held.size() <= 2) return false;
    return flush(out);
  }
  bool flush(std::span<float> out) {
    if (held.empty()) return false;
    std::copy(held.front().begin(), held.front().end(), out.begin());
    held.pop_front();
    return true;
  }
};

// Every third input, writes the sum of the last three inputs' first values into out[0] alone,
// and relies on the rest of `out` arriving zeroed (Stage.hpp). Declined calls leave `out` alone.
struct SumOfThreeIntoFirst {
  static constexpr std::string_view kName = "sum-of-three";
  float sum = 0;
  int seen = 0;
  StreamInfo configure(const StreamInfo& in) { return in; }
  bool process(std::span<const float> in, std::span<float> out) {
    sum += in[0];
    if (++seen % 3 != 0) return false;
    out[0] = sum;
    sum = 0;
    return true;
  }
};

struct ThrowAt {
  static constexpr std::string_view kName = "throw-at";
  float at = 0;
  StreamInfo configure(const StreamInfo& in) { return in; }
  bool process(std::span<const float> in, std::span<float> out) const {
    if (in[0] == at) throw std::runtime_error("boom at " + std::to_string(static_cast<int>(at)));
    std::copy(in.begin(), in.end(), out.begin());
    return true;
  }
};

struct Collected {
  std::vector<std::uint64_t> sequences;
  std::vector<float> first_values;
  std::vector<std::int64_t> first_sample_ns;
  std::vector<std::string> stamp_names;  // of the first frame
  std::optional<EndReason> reason;
  int finish_calls = 0;
};

struct CollectSink {
  static constexpr std::string_view kName = "collect";
  Collected* out = nullptr;
  std::chrono::microseconds pause{0};
  void consume(const Frame& f) const {
    if (out->sequences.empty()) {
      for (const StageStamp& s : f.stage_stamps()) out->stamp_names.emplace_back(s.stage());
    }
    out->sequences.push_back(f.sequence);
    out->first_values.push_back(f.samples.at(0));
    out->first_sample_ns.push_back(f.first_sample_ns);
    if (pause.count() > 0) std::this_thread::sleep_for(pause);
  }
  void finish(EndReason r) const {
    out->reason = r;
    ++out->finish_calls;
  }
};

PipelineResult run_chain(PipelineOptions opts, Collected& c, std::uint64_t frames) {
  Pipeline p(std::move(opts));
  p.source(CountingSource{frames}).transform(AddOne{}).transform(AddOne{}).sink(CollectSink{&c});
  return p.run();
}

TEST(Pipeline, EndOfStreamReachesTheSinkWithEveryFrameInOrder) {
  Collected c;
  const PipelineResult r = run_chain({}, c, 1000);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_FALSE(r.stop_requested);
  ASSERT_EQ(c.sequences.size(), 1000U);
  for (std::size_t i = 0; i < 1000; ++i) {
    EXPECT_EQ(c.sequences[i], i);
    EXPECT_EQ(c.first_values[i], static_cast<float>(i) + 2.0F);
  }
  EXPECT_EQ(c.reason, EndReason::kEndOfStream);
  EXPECT_EQ(c.finish_calls, 1);
  EXPECT_EQ(c.stamp_names, (std::vector<std::string>{"count", "add-one", "add-one", "collect"}));
  ASSERT_EQ(r.edges.size(), 3U);
  for (const EdgeStats& e : r.edges) EXPECT_EQ(e.pushed, 1000U);
}

TEST(Pipeline, ThreadGroupingDoesNotChangeTheOutput) {
  Collected per_stage;
  Collected single;
  Collected grouped;
  run_chain({}, per_stage, 300);
  run_chain(PipelineOptions{8, FullPolicy::kBackPressure, {0, 0, 0, 0}}, single, 300);
  const PipelineResult r =
      run_chain(PipelineOptions{8, FullPolicy::kBackPressure, {0, 0, 1, 1}}, grouped, 300);
  EXPECT_EQ(r.edges.size(), 1U);
  EXPECT_EQ(per_stage.first_values, single.first_values);
  EXPECT_EQ(per_stage.first_values, grouped.first_values);
  EXPECT_EQ(per_stage.sequences, grouped.sequences);
}

// Hand-offs in batches (Pipeline::run_group): a source that says it never waits has its frames
// announced downstream 16 at a time, and a full ring must still wake its consumer.
struct EagerCountingSource : CountingSource {
  static constexpr bool kNeverWaits = true;
};

TEST(Pipeline, BatchedHandOffsDeliverEveryFrameThroughSmallRings) {
  Collected c;
  Pipeline p(PipelineOptions{4, FullPolicy::kBackPressure, {}});
  p.source(EagerCountingSource{{1000}}).transform(AddOne{}).sink(CollectSink{&c});
  const PipelineResult r = p.run();
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(c.sequences.size(), 1000U);
  for (std::size_t i = 0; i < 1000; ++i) EXPECT_EQ(c.first_values[i], static_cast<float>(i) + 1);
}

// A source that may wait must not leave frames unannounced while it does: this one hands over
// three frames, then waits for the sink to have all three before it ends the stream. Were they
// held back in a ring, it would wait out its timeout.
struct WaitsForTheSink {
  static constexpr std::string_view kName = "waits";
  std::atomic<int>* seen = nullptr;
  bool* timed_out = nullptr;
  int sent = 0;
  [[nodiscard]] StreamInfo info() const { return {1, FrameShape{1, 1}, 10.0}; }
  std::optional<SourceBlockInfo> produce(std::span<float> out, const std::stop_token& /*stop*/) {
    if (sent < 3) {
      out[0] = static_cast<float>(sent);
      return SourceBlockInfo{static_cast<std::int64_t>(sent++) * 100'000'000, 0};
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (seen->load() < 3) {
      if (std::chrono::steady_clock::now() > deadline) {
        *timed_out = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return std::nullopt;
  }
};

TEST(Pipeline, ASourceThatMayWaitHasItsFramesDeliveredFirst) {
  std::atomic<int> seen{0};
  bool timed_out = false;
  Pipeline p;
  p.source(WaitsForTheSink{&seen, &timed_out})
      .transform(AddOne{})
      .sink(CallbackSink([&](const Frame& /*f*/) { ++seen; }));
  const PipelineResult r = p.run();
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_FALSE(timed_out) << "frames sat in a ring while the source waited";
  EXPECT_EQ(seen.load(), 3);
}

TEST(Pipeline, DelayedOutputsKeepTheHeaderOfTheFrameTheyDescribe) {
  for (const auto& layout : {std::vector<std::size_t>{}, std::vector<std::size_t>{0, 0, 0}}) {
    Collected c;
    Pipeline p(PipelineOptions{4, FullPolicy::kBackPressure, layout});
    p.source(CountingSource{50}).transform(DelayTwo{}).sink(CollectSink{&c});
    ASSERT_TRUE(p.run().ok);
    ASSERT_EQ(c.sequences.size(), 50U) << "flush must drain the two held frames";
    for (std::size_t i = 0; i < 50; ++i) {
      EXPECT_EQ(c.sequences[i], i);
      EXPECT_EQ(c.first_values[i], static_cast<float>(i));
      EXPECT_EQ(c.first_sample_ns[i], static_cast<std::int64_t>(i) * 100'000'000);
    }
  }
}

TEST(Pipeline, OutputsArriveZeroedWhetherTheFrameIsNewRecycledOrDeclined) {
  // The runner reuses consumed inputs (full of samples) and declined outputs (still zero) as
  // later outputs; a stage must never see either's old values.
  std::vector<std::vector<float>> outputs;
  Pipeline p(PipelineOptions{4, FullPolicy::kBackPressure, {}});
  p.source(CountingSource{30})
      .transform(AddOne{})
      .transform(SumOfThreeIntoFirst{})
      .sink(CallbackSink([&](const Frame& f) { outputs.push_back(f.samples); }));
  ASSERT_TRUE(p.run().ok);
  ASSERT_EQ(outputs.size(), 10U);
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    const auto first = static_cast<float>(3 * (3 * k + 1) + 3);  // (3k+1) + (3k+2) + (3k+3)
    EXPECT_EQ(outputs[k][0], first) << "output " << k;
    for (std::size_t i = 1; i < outputs[k].size(); ++i) {
      ASSERT_EQ(outputs[k][i], 0.0F) << "output " << k << ", value " << i;
    }
  }
}

TEST(Pipeline, AnErrorStopsEverythingAndNamesTheStage) {
  for (const auto& layout : {std::vector<std::size_t>{}, std::vector<std::size_t>{0, 1, 1, 2}}) {
    Collected c;
    Pipeline p(PipelineOptions{2, FullPolicy::kBackPressure, layout});
    p.source(CountingSource{0}).transform(AddOne{}).transform(ThrowAt{501}).sink(CollectSink{&c});
    const PipelineResult r = p.run();  // endless source: only the error can end this run
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.failed_node, "throw-at");
    EXPECT_EQ(r.error, "boom at 501");
    EXPECT_EQ(c.reason, EndReason::kUpstreamError);
    EXPECT_EQ(c.finish_calls, 1);
    ASSERT_EQ(c.sequences.size(), 500U) << "frames before the failure all arrive";
  }
}

TEST(Pipeline, RequestStopDrainsWhatWasTakenAndLosesNothing) {
  Collected c;
  Pipeline p(PipelineOptions{16, FullPolicy::kBackPressure, {}});
  p.source(CountingSource{0})
      .transform(AddOne{})
      .sink(CollectSink{&c, std::chrono::microseconds(50)});
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    p.request_stop();
  });
  const PipelineResult r = p.run();
  stopper.join();
  EXPECT_TRUE(r.ok);
  EXPECT_TRUE(r.stop_requested);
  EXPECT_EQ(c.reason, EndReason::kStopRequested);
  EXPECT_GT(r.frames_from_source, 0U);
  EXPECT_EQ(r.frames_to_sink, r.frames_from_source);
  EXPECT_EQ(c.sequences.size(), r.frames_from_source);
}

TEST(Pipeline, DropOldestEdgesCountEveryFrameTheyLose) {
  Collected c;
  Pipeline p(PipelineOptions{4, FullPolicy::kDropOldest, {}});
  p.source(CountingSource{5000}).sink(CollectSink{&c, std::chrono::microseconds(20)});
  const PipelineResult r = p.run();
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.edges.size(), 1U);
  EXPECT_GT(r.edges[0].dropped, 0U);
  EXPECT_EQ(r.frames_to_sink + r.edges[0].dropped, 5000U);
  // What did arrive is in order and is the newest data at each moment.
  EXPECT_TRUE(std::is_sorted(c.sequences.begin(), c.sequences.end()));
  EXPECT_EQ(c.sequences.back(), 4999U);
}

TEST(Pipeline, BadThreadLayoutIsRejected) {
  Collected c;
  Pipeline p(PipelineOptions{4, FullPolicy::kBackPressure, {0, 2}});
  p.source(CountingSource{1}).sink(CollectSink{&c});
  EXPECT_THROW(p.run(), std::invalid_argument);
}

}  // namespace
}  // namespace streamdx
