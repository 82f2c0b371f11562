#include "runtime/StreamPool.hpp"

#include <gtest/gtest.h>

#include <array>

#include <cstring>
#include <map>
#include <stdexcept>
#include <stop_token>
#include <vector>

#include "core/CallbackSink.hpp"
#include "core/Pipeline.hpp"
#include "runtime/EegChain.hpp"
#include "runtime/FrameEndpoints.hpp"
#include "runtime/ModelLoading.hpp"
#include "runtime/RealtimeStreams.hpp"
#include "runtime/RecordingReplay.hpp"
#include "support/TestData.hpp"

namespace streamdx {
namespace {

// What a sink saw: every frame's samples and recording time, in order.
struct Seen {
  std::vector<std::vector<float>> samples;
  std::vector<std::int64_t> times;
  void add(const Frame& f) {
    samples.push_back(f.samples);
    times.push_back(f.first_sample_ns);
  }
};

// The committed model, found from the source tree (the test binary is not beside the checkout).
Config model_config() {
  Config config;
  config.set_string("decoder.model", STREAMDX_SOURCE_DIR "/models/seizure-lstm.pt");
  return config;
}

std::vector<Frame> simulated_frames(double seconds) {
  Config config;
  config.set_double("simulate.duration_s", seconds);
  OpenedSource source = open_frame_source("sim", config, false);
  std::vector<Frame> frames;
  const std::stop_source never;
  while (FramePtr f = source.node->next(never.get_token())) frames.push_back(std::move(*f));
  return frames;
}

// One stream alone, through the Pipeline runner, one thread per stage.
Seen run_alone(const std::vector<Frame>& frames, std::size_t offset, std::uint64_t count,
               ChainEnd end, const EegChainParts& parts) {
  Seen seen;
  Pipeline pipeline;
  pipeline.source(RecordingReplay(frames, offset, count));
  add_eeg_chain(pipeline, end, parts);
  pipeline.sink(CallbackSink([&seen](const Frame& f) { seen.add(f); }));
  EXPECT_TRUE(pipeline.run().ok);
  return seen;
}

class StreamPoolChain : public ::testing::TestWithParam<ChainEnd> {};

// Many streams on two workers, their model calls batched across streams, decide exactly as each
// stream run alone: the same bits at the same recording times, whatever the batch holds.
TEST_P(StreamPoolChain, ManyStreamsBatchedGiveTheBitsOfEachStreamAlone) {
  STREAMDX_TORCH_OR_SKIP();
  const std::vector<Frame> frames = simulated_frames(40);
  ASSERT_FALSE(frames.empty());
  constexpr std::size_t kStreams = 7;
  constexpr std::uint64_t kFrames = 250;  // 25 s each
  std::vector<std::shared_ptr<SeizureModel>> models{load_seizure_model(model_config()),
                                                    load_seizure_model(model_config())};
  const PostprocessSettings post = postprocess_settings(Config{});
  std::map<std::size_t, Seen> pooled;
  StreamPoolOptions options;
  options.workers = 2;
  options.paced = false;
  const StreamPoolResult r = run_stream_pool(
      kStreams,
      [&](StreamChain& chain, std::size_t s, std::size_t w) {
        chain.source(RecordingReplay(frames, s * 37, kFrames));
        add_eeg_chain(chain, GetParam(), {models[w], post});
        chain.sink(CallbackSink([&pooled, s](const Frame& f) { pooled[s].add(f); }));
        chain.warm_up(s % 3);  // staggered: streams reach their epochs on different rounds
      },
      options);
  ASSERT_TRUE(r.ok) << r.failed_node << ": " << r.error;
  EXPECT_EQ(r.workers, 2U);
  std::uint64_t warm_up_frames = 0;
  for (std::size_t s = 0; s < kStreams; ++s) warm_up_frames += s % 3;
  EXPECT_EQ(r.frames + warm_up_frames, kStreams * kFrames);  // warm-up frames are not counted

  for (std::size_t s = 0; s < kStreams; ++s) {
    const Seen alone = run_alone(frames, s * 37, kFrames, GetParam(), {models[0], post});
    ASSERT_FALSE(alone.samples.empty());
    ASSERT_EQ(pooled[s].samples.size(), alone.samples.size()) << "stream " << s;
    EXPECT_EQ(pooled[s].times, alone.times) << "stream " << s;
    for (std::size_t i = 0; i < alone.samples.size(); ++i) {
      ASSERT_EQ(0, std::memcmp(pooled[s].samples[i].data(), alone.samples[i].data(),
                               alone.samples[i].size() * sizeof(float)))
          << "stream " << s << ", output " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(ChainEnds, StreamPoolChain,
                         ::testing::Values(ChainEnd::kFeatures, ChainEnd::kPosteriors,
                                           ChainEnd::kDecisions));

TEST(StreamPool, APacedRunKeepsTimeAndReportsEveryStageAndTheBatch) {
  STREAMDX_TORCH_OR_SKIP();
  const std::vector<Frame> frames = simulated_frames(10);
  auto model = load_seizure_model(model_config());
  StreamPoolOptions options;
  options.workers = 1;
  options.duration_s = 2.5;
  options.output_name = "decision";
  const StreamPoolResult r = run_stream_pool(
      4,
      [&](StreamChain& chain, std::size_t s, std::size_t /*w*/) {
        chain.source(RecordingReplay(frames, s));
        add_eeg_chain(chain, ChainEnd::kDecisions, {model, postprocess_settings(Config{})});
        chain.sink(CallbackSink([](const Frame&) {}));
      },
      options);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_GE(r.wall_s, 2.4);
  EXPECT_EQ(r.ticks, 25U);
  EXPECT_EQ(r.frames, 4U * 25U);
  const auto summaries = r.latencies.summaries();
  for (const char* name :
       {"lfcc", "encoder", "decoder", "decoder_batch", "postprocess", "decision"}) {
    EXPECT_TRUE(summaries.contains(name)) << name;
  }
  // Four streams in step: each second's epochs are decoded in one batch, not four.
  EXPECT_EQ(summaries.at("decoder_batch").count * 4, summaries.at("decision").count);
}

// Sinks that record how they were finished (and how many frames they saw).
struct RecordingSink {
  static constexpr std::string_view kName = "record";
  std::vector<EndReason>* finished;
  void consume(const Frame& /*f*/) {}
  void finish(EndReason r) const { finished->push_back(r); }
};

struct CountingSink {
  static constexpr std::string_view kName = "count";
  std::vector<EndReason>* finished;
  std::size_t* outputs;
  void consume(const Frame& /*f*/) const { ++*outputs; }
  void finish(EndReason r) const { finished->push_back(r); }
};

// Passes frames through until its tenth, then fails.
struct FailsAtTenthFrame {
  static constexpr std::string_view kName = "fails-at-ten";
  int seen = 0;
  StreamInfo configure(const StreamInfo& in) { return in; }
  bool process(std::span<const float> in, std::span<float> out) {
    if (++seen == 10) throw std::runtime_error("broken at frame 10");
    std::copy(in.begin(), in.end(), out.begin());
    return true;
  }
};

TEST(StreamPool, AFailingStageStopsTheRunNamesItAndFinishesEverySink) {
  const std::vector<Frame> frames = simulated_frames(5);
  std::vector<EndReason> finished;
  StreamPoolOptions options;
  options.workers = 1;
  options.paced = false;
  const StreamPoolResult r = run_stream_pool(
      3,
      [&](StreamChain& chain, std::size_t s, std::size_t /*w*/) {
        chain.source(RecordingReplay(frames, s, 40));
        chain.transform(FailsAtTenthFrame{});
        chain.sink(RecordingSink{&finished});
      },
      options);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.failed_node, "fails-at-ten");
  EXPECT_EQ(r.error, "broken at frame 10");
  EXPECT_EQ(finished, std::vector<EndReason>(3, EndReason::kUpstreamError));
}

TEST(StreamPool, StreamsThatEndAreFlushedAndFinishedOnce) {
  const std::vector<Frame> frames = simulated_frames(5);
  // One slot per stream: the streams run on different workers (threads).
  std::array<std::vector<EndReason>, 2> finished;
  std::array<std::size_t, 2> outputs{};
  StreamPoolOptions options;
  options.paced = false;
  const StreamPoolResult r = run_stream_pool(
      2,
      [&](StreamChain& chain, std::size_t s, std::size_t /*w*/) {
        chain.source(RecordingReplay(frames, s, 30));
        add_eeg_chain(chain, ChainEnd::kFeatures);
        chain.sink(CountingSink{&finished[s], &outputs[s]});
      },
      options);
  ASSERT_TRUE(r.ok) << r.error;
  // LFCC holds frames back for its look-ahead and gives them all at the end: one out per in.
  for (std::size_t s = 0; s < 2; ++s) {
    EXPECT_EQ(outputs[s], 30U) << "stream " << s;
    EXPECT_EQ(finished[s], std::vector<EndReason>{EndReason::kEndOfStream}) << "stream " << s;
  }
}

// A pretend machine whose p99 decision latency is n / 100 ms for n streams.
RealtimeStreamsResult pretend_run(std::size_t n, std::uint64_t late_ticks = 0) {
  RealtimeStreamsResult r;
  r.streams = n;
  r.ticks = 100;
  r.late_ticks = late_ticks;
  r.latencies.add_all("decision", {static_cast<double>(n) / 100.0});
  return r;
}

TEST(FindMaxStreams, DoublesThenBisectsToWithinFivePerCent) {
  std::vector<std::size_t> probed;
  const std::size_t found = find_max_streams(
      StreamSearch{256, 65536, 100.0}, [](std::size_t n) { return pretend_run(n); },
      [&](std::size_t n, RealtimeStreamsResult&& r, bool ok) {
        probed.push_back(n);
        EXPECT_EQ(r.streams, n);
        EXPECT_EQ(ok, n <= 10000) << n;
      });
  EXPECT_LE(found, 10000U);
  EXPECT_GE(found, 9500U);
  ASSERT_GE(probed.size(), 7U);
  EXPECT_EQ(std::vector<std::size_t>(probed.begin(), probed.begin() + 7),
            (std::vector<std::size_t>{256, 512, 1024, 2048, 4096, 8192, 16384}));
}

TEST(FindMaxStreams, LateTicksBreakTheBudgetAndTheLimitStopsTheSearch) {
  // Within the latency budget, but workers fell behind on 2 % of their ticks.
  EXPECT_FALSE(within_budget(pretend_run(10, 2), 100.0));
  EXPECT_TRUE(within_budget(pretend_run(10, 1), 100.0));
  const std::size_t capped = find_max_streams(
      StreamSearch{2, 8, 100.0}, [](std::size_t n) { return pretend_run(n); },
      [](std::size_t, RealtimeStreamsResult&&, bool) {});
  EXPECT_EQ(capped, 8U);
  const std::size_t none = find_max_streams(
      StreamSearch{2, 8, 0.001}, [](std::size_t n) { return pretend_run(n); },
      [](std::size_t, RealtimeStreamsResult&&, bool) {});
  EXPECT_EQ(none, 0U);
}

}  // namespace
}  // namespace streamdx
