#include "runtime/ThroughputBench.hpp"

#include <fmt/format.h>

#include <chrono>

#include "runtime/EegChain.hpp"
#include "runtime/FrameEndpoints.hpp"
#include "runtime/PipelineRun.hpp"
#include "runtime/ProcessUsage.hpp"

namespace streamdx {

namespace {

// What the benchmark reports from the decision frames; outlives the pipeline.
struct BenchFigures {
  std::size_t decisions_ = 0;
  double first_decision_s_ = 0;  // recording time of the first decided epoch's start
  StageLatencies latencies_;
};

class BenchSink final : public FrameSinkNode {
 public:
  explicit BenchSink(std::shared_ptr<BenchFigures> figures) : figures_(std::move(figures)) {}
  [[nodiscard]] std::string_view name() const override { return "bench"; }
  void consume(const Frame& frame) override {
    if (figures_->decisions_++ == 0) {
      figures_->first_decision_s_ = static_cast<double>(frame.first_sample_ns) / 1e9;
    }
    figures_->latencies_.record(frame);
  }
  void finish(EndReason /*reason*/) override {}

 private:
  std::shared_ptr<BenchFigures> figures_;
};

// Passes the source's frames through, noting their channel count: a frame file or a ZeroMQ
// stream names no channels before its first frame.
class ChannelCountingSource final : public FrameSourceNode {
 public:
  ChannelCountingSource(std::unique_ptr<FrameSourceNode> inner, std::size_t& channels)
      : inner_(std::move(inner)), channels_(channels) {}
  [[nodiscard]] std::string_view name() const override { return inner_->name(); }
  FramePtr next(const std::stop_token& stop) override {
    FramePtr frame = inner_->next(stop);
    if (frame) channels_ = frame->shape.channels;
    return frame;
  }
  [[nodiscard]] bool never_waits() const override { return inner_->never_waits(); }

 private:
  std::unique_ptr<FrameSourceNode> inner_;
  std::size_t& channels_;
};

}  // namespace

ThroughputBenchResult measure_throughput(const std::string& from, bool realtime,
                                         const Config& config,
                                         const std::shared_ptr<SeizureModel>& model) {
  const PostprocessSettings post = postprocess_settings(config);
  auto figures = std::make_shared<BenchFigures>();
  ThroughputBenchResult r;
  const double cpu_before = process_cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  r.exit_code = run_pipeline(
      config, 1 + eeg_chain_nodes(ChainEnd::kDecisions) + 1,
      [&](Pipeline& pipeline) {
        OpenedSource source = open_frame_source(from, config, realtime);
        pipeline.source(
            std::make_unique<ChannelCountingSource>(std::move(source.node), r.channels));
        add_eeg_chain(pipeline, ChainEnd::kDecisions, {model, post});
        pipeline.sink(std::make_unique<BenchSink>(figures));
        return fmt::format("(1 s decisions) from {}, benchmarked", from);
      },
      &r.pipeline);
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.cpu_s = process_cpu_seconds() - cpu_before;
  for (const EdgeStats& e : r.pipeline.edges) r.drops += e.dropped;
  r.decisions = figures->decisions_;
  r.first_decision_s = figures->first_decision_s_;
  r.latencies = std::move(figures->latencies_);
  return r;
}

}  // namespace streamdx
