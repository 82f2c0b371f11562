#include "core/Pipeline.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace streamdx {

using FrameRing = SpscRing<Frame>;

struct Pipeline::Shared {
  std::stop_source stop;
  std::atomic<bool> stop_requested{false};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::string failed_node;
  std::string error;
  std::atomic<std::uint64_t> frames_from_source{0};
  std::atomic<std::uint64_t> frames_to_sink{0};
};

// A run of consecutive nodes [begin, end) that share one thread, with the rings around it.
struct Pipeline::Group {
  std::size_t begin = 0;
  std::size_t end = 0;
  FrameRing* in = nullptr;   // null for the group that holds the source
  FrameRing* out = nullptr;  // null for the group that holds the sink
  MonoNs in_max_age_ns = 0;
};

Pipeline::Pipeline(PipelineOptions options)
    : options_(std::move(options)), shared_(std::make_unique<Shared>()) {}

Pipeline::~Pipeline() = default;

Pipeline& Pipeline::source(std::unique_ptr<FrameSourceNode> node) {
  if (source_) throw std::logic_error("pipeline already has a source");
  source_ = std::move(node);
  return *this;
}

Pipeline& Pipeline::transform(std::unique_ptr<FrameTransformNode> node) {
  if (sink_) throw std::logic_error("pipeline transforms must be added before the sink");
  transforms_.push_back(std::move(node));
  return *this;
}

Pipeline& Pipeline::sink(std::unique_ptr<FrameSinkNode> node) {
  if (sink_) throw std::logic_error("pipeline already has a sink");
  sink_ = std::move(node);
  return *this;
}

void Pipeline::request_stop() noexcept {
  shared_->stop_requested.store(true);
  shared_->stop.request_stop();
}

void Pipeline::fail(std::string_view node, std::string_view message) noexcept {
  {
    const std::scoped_lock lock(shared_->error_mutex);
    if (!shared_->failed.exchange(true)) {
      shared_->failed_node = std::string(node);
      shared_->error = std::string(message);
    }
  }
  shared_->stop.request_stop();
}

std::string thread_layout_problem(const std::vector<std::size_t>& thread_of_node,
                                  std::size_t nodes) {
  const auto& t = thread_of_node;
  if (t.empty()) return {};
  if (t.size() != nodes) {
    return "it has " + std::to_string(t.size()) + " entries for " + std::to_string(nodes) +
           " nodes";
  }
  if (t.front() != 0) return "it must start at 0";
  for (std::size_t i = 1; i < nodes; ++i) {
    if (t[i] != t[i - 1] && t[i] != t[i - 1] + 1) return "it must be non-decreasing without gaps";
  }
  return {};
}

void Pipeline::validate() const {
  if (!source_ || !sink_) throw std::logic_error("a pipeline needs a source and a sink");
  const std::string problem =
      thread_layout_problem(options_.thread_of_node, transforms_.size() + 2);
  if (!problem.empty()) throw std::invalid_argument("thread_of_node: " + problem);
}

void Pipeline::run_group(Group& g) {
  const std::size_t last = transforms_.size() + 1;  // index of the sink
  std::string_view current = "pipeline";
  bool sink_finished = false;

  // Hand-offs in batches: a consumer that drains its ring faster than it fills would otherwise
  // be put to sleep and woken for every frame, which on two cores cost as much CPU as the stages'
  // own work (docs/PERFORMANCE.md). Frames are pushed without waking the consumer, and it is
  // woken after kWakeBatch of them, and always before this thread could wait for anything: its
  // input ring running empty, a source that may wait, a full output ring (SpscRing::push), or
  // the end. So no frame sits in a ring while its producer idles. Lossy rings wake every time,
  // since a sleeping consumer there would turn a batch into drops.
  constexpr std::size_t kWakeBatch = 16;
  const bool batch_wakes = g.out != nullptr && g.out->policy() == FullPolicy::kBackPressure;
  std::size_t unannounced = 0;
  auto announce = [&] {
    if (unannounced > 0) g.out->wake_consumer();
    unannounced = 0;
  };

  // Hands `frame` to node `idx` and on through the group; past the group it goes to the ring.
  // Returns false once downstream has cancelled.
  auto forward = [&](FramePtr frame, std::size_t idx) -> bool {
    for (; frame && idx < g.end; ++idx) {
      if (idx == last) {
        current = sink_->name();
        frame->stamp(sink_->name());
        sink_->consume(*frame);
        shared_->frames_to_sink.fetch_add(1, std::memory_order_relaxed);
        return true;
      }
      current = transforms_[idx - 1]->name();
      frame = transforms_[idx - 1]->process(std::move(frame));
    }
    if (!frame) return true;
    const bool wake = !batch_wakes || ++unannounced >= kWakeBatch;
    if (wake) unannounced = 0;
    // The stage that handled the frame last stamped it just now: that reading serves as the
    // ring's enqueue time too.
    const MonoNs stamped = frame->newest_stamp_ns();
    return g.out->push(std::move(frame), wake, stamped != 0 ? stamped : monotonic_ns());
  };

  auto end_reason = [&] {
    if (shared_->failed.load()) return EndReason::kUpstreamError;
    if (shared_->stop_requested.load()) return EndReason::kStopRequested;
    return EndReason::kEndOfStream;
  };

  try {
    bool downstream_alive = true;
    const std::stop_token stop = shared_->stop.get_token();
    for (;;) {
      FramePtr frame;
      if (g.begin == 0) {
        current = source_->name();
        if (!source_->never_waits()) announce();
        frame = source_->next(stop);
        if (!frame) break;
        shared_->frames_from_source.fetch_add(1, std::memory_order_relaxed);
      } else {
        auto item = g.in->try_pop();
        if (!item) {
          announce();
          item = g.in->pop();
        }
        if (!item) break;
        g.in_max_age_ns = std::max(g.in_max_age_ns, item->age_ns());
        frame = std::move(item->value);
      }
      if (!forward(std::move(frame), std::max<std::size_t>(g.begin, 1))) {
        downstream_alive = false;
        break;
      }
    }
    // End of stream (or stop): drain what the transforms of this group still hold, in order.
    if (downstream_alive && !shared_->failed.load()) {
      for (std::size_t idx = std::max<std::size_t>(g.begin, 1); idx < std::min(g.end, last);
           ++idx) {
        current = transforms_[idx - 1]->name();
        while (FramePtr held = transforms_[idx - 1]->flush()) {
          if (!forward(std::move(held), idx + 1)) break;
        }
      }
    }
    if (g.in) g.in->cancel();  // nothing more will be taken from upstream
    if (g.out) g.out->close();
    if (g.end == last + 1) {
      current = sink_->name();
      sink_finished = true;
      const EndReason reason = end_reason();
      if (reason == EndReason::kUpstreamError) {
        const std::scoped_lock lock(shared_->error_mutex);
        sink_->upstream_failed(shared_->failed_node, shared_->error);
      }
      sink_->finish(reason);
    }
  } catch (const std::exception& e) {
    fail(current, e.what());
  } catch (...) {
    fail(current, "unknown exception");
  }

  if (shared_->failed.load()) {
    if (g.in) g.in->cancel();
    if (g.out) g.out->close();
    if (g.end == last + 1 && !sink_finished) {
      try {
        {
          const std::scoped_lock lock(shared_->error_mutex);
          sink_->upstream_failed(shared_->failed_node, shared_->error);
        }
        sink_->finish(EndReason::kUpstreamError);
      } catch (const std::exception& e) {
        fail(sink_->name(), e.what());
      }
    }
  }
}

PipelineResult Pipeline::run() {
  validate();
  const std::size_t nodes = transforms_.size() + 2;
  std::vector<std::size_t> thread_of = options_.thread_of_node;
  if (thread_of.empty()) {
    for (std::size_t i = 0; i < nodes; ++i) thread_of.push_back(i);
  }

  std::vector<Group> groups;
  for (std::size_t i = 0; i < nodes; ++i) {
    if (groups.empty() || thread_of[i] != thread_of[i - 1]) groups.push_back(Group{i, i + 1});
    groups.back().end = i + 1;
  }
  std::vector<std::unique_ptr<FrameRing>> rings;
  for (std::size_t gi = 0; gi + 1 < groups.size(); ++gi) {
    rings.push_back(std::make_unique<FrameRing>(options_.ring_capacity, options_.ring_policy));
    groups[gi].out = rings.back().get();
    groups[gi + 1].in = rings.back().get();
  }

  {
    std::vector<std::jthread> threads;
    for (std::size_t gi = 1; gi < groups.size(); ++gi) {
      threads.emplace_back([this, &groups, gi] { run_group(groups[gi]); });
    }
    run_group(groups[0]);
  }  // joins

  auto node_name = [&](std::size_t i) -> std::string {
    if (i == 0) return std::string(source_->name());
    if (i == nodes - 1) return std::string(sink_->name());
    return std::string(transforms_[i - 1]->name());
  };

  PipelineResult result;
  result.ok = !shared_->failed.load();
  result.stop_requested = shared_->stop_requested.load();
  result.failed_node = shared_->failed_node;
  result.error = shared_->error;
  result.frames_from_source = shared_->frames_from_source.load();
  result.frames_to_sink = shared_->frames_to_sink.load();
  for (std::size_t gi = 0; gi + 1 < groups.size(); ++gi) {
    const FrameRing& r = *rings[gi];
    result.edges.push_back(EdgeStats{node_name(groups[gi].end - 1), node_name(groups[gi + 1].begin),
                                     r.pushed(), r.popped(), r.dropped(),
                                     groups[gi + 1].in_max_age_ns});
  }
  return result;
}

}  // namespace streamdx
