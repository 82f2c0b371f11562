#pragma once
// Pipeline: runs a linear chain  source -> transform* -> sink  on one or more threads.
//
// Nodes are grouped onto threads: by default one thread per node, or all on one thread, or any
// contiguous grouping. Inside a group a frame is handed from node to node by a plain call;
// between groups it crosses an SpscRing with the configured full policy.
//
// Lifecycle
// - End of stream: the source returns nullptr, every transform is flushed in order, the sink is
//   finished with kEndOfStream.
// - request_stop() (thread-safe; used by the SIGINT/SIGTERM handler) stops the source; frames
//   already taken drain through, and the sink is finished with kStopRequested. Nothing taken is
//   lost.
// - An exception in any node stops the pipeline: upstream rings are cancelled, downstream ones
//   closed, the sink is finished with kUpstreamError, and run() reports that node's name and
//   message.
#include <cstdint>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "core/Settings.hpp"
#include "core/SpscRing.hpp"
#include "core/Stage.hpp"

namespace streamdx {

struct PipelineOptions {
  std::size_t ring_capacity = setting_default<std::size_t>("pipeline.ring_capacity");
  FullPolicy ring_policy = FullPolicy::kBackPressure;
  // Thread index per node (source first, sink last): non-decreasing, starting at 0, without gaps.
  // Empty means one thread per node.
  std::vector<std::size_t> thread_of_node;
};

// Why `thread_of_node` is not a valid layout for `nodes` nodes (see PipelineOptions), or "" if
// it is. Empty means one thread per node, which is valid.
std::string thread_layout_problem(const std::vector<std::size_t>& thread_of_node,
                                  std::size_t nodes);

struct EdgeStats {
  std::string from;  // node that pushes
  std::string to;    // node that pops
  std::uint64_t pushed = 0;
  std::uint64_t popped = 0;
  std::uint64_t dropped = 0;
  MonoNs max_age_ns = 0;  // the longest any frame waited in this ring
};

struct PipelineResult {
  bool ok = true;
  bool stop_requested = false;
  std::string failed_node;  // empty when ok
  std::string error;
  std::uint64_t frames_from_source = 0;
  std::uint64_t frames_to_sink = 0;
  std::vector<EdgeStats> edges;  // one per ring, in chain order
};

class Pipeline {
 public:
  explicit Pipeline(PipelineOptions options = {});
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  Pipeline& source(std::unique_ptr<FrameSourceNode> node);
  Pipeline& transform(std::unique_ptr<FrameTransformNode> node);
  Pipeline& sink(std::unique_ptr<FrameSinkNode> node);

  template <SourceStage S>
  Pipeline& source(S stage) {
    return source(std::make_unique<SourceAdapter<S>>(std::move(stage)));
  }
  template <TransformStage S>
  Pipeline& transform(S stage) {
    return transform(std::make_unique<TransformAdapter<S>>(std::move(stage)));
  }
  template <SinkStage S>
  Pipeline& sink(S stage) {
    return sink(std::make_unique<SinkAdapter<S>>(std::move(stage)));
  }

  // Runs to completion on the calling thread plus one thread per extra group. Call once.
  PipelineResult run();

  // Thread-safe and async-signal-tolerant in effect: it only sets a stop flag.
  void request_stop() noexcept;

 private:
  struct Shared;
  struct Group;
  class GroupRun;

  void validate() const;
  void run_group(Group& group);
  void fail(std::string_view node, std::string_view message) noexcept;

  PipelineOptions options_;
  std::unique_ptr<FrameSourceNode> source_;
  std::vector<std::unique_ptr<FrameTransformNode>> transforms_;
  std::unique_ptr<FrameSinkNode> sink_;
  std::unique_ptr<Shared> shared_;
};

}  // namespace streamdx
