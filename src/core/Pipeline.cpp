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

// One group's thread: takes frames from the source or its input ring, hands them node to node
// through the group, and on to its output ring or the sink.
//
// Hand-offs go in batches: a consumer that drains its ring faster than it fills would otherwise
// be put to sleep and woken for every frame, which on two cores cost as much CPU as the stages'
// own work (docs/PERFORMANCE.md). Frames are pushed without waking the consumer, and it is woken
// after kWakeBatch of them, and always before this thread could wait for anything: its input
// ring running empty, a source that may wait, a full output ring (SpscRing::push), or the end.
// So no frame sits in a ring while its producer idles. Lossy rings wake every time, since a
// sleeping consumer there would turn a batch into drops.
class Pipeline::GroupRun {
 public:
  GroupRun(Pipeline& pipeline, Group& group)
      : p_(pipeline),
        g_(group),
        last_(pipeline.transforms_.size() + 1),
        batch_wakes_(group.out != nullptr && group.out->policy() == FullPolicy::kBackPressure) {}

  void run() {
    try {
      const bool downstream_alive = pump();
      // End of stream (or stop): drain what the transforms of this group still hold, in order.
      if (downstream_alive && !p_.shared_->failed.load()) drain();
      if (g_.in) g_.in->cancel();  // nothing more will be taken from upstream
      if (g_.out) g_.out->close();
      if (g_.end == last_ + 1) finish_sink(end_reason());
    } catch (const std::exception& e) {
      p_.fail(current_, e.what());
    } catch (...) {
      p_.fail(current_, "unknown exception");
    }
    if (p_.shared_->failed.load()) after_failure();
  }

 private:
  static constexpr std::size_t kWakeBatch = 16;

  // Takes frames until the input ends; false once downstream has cancelled.
  bool pump() {
    const std::stop_token stop = p_.shared_->stop.get_token();
    for (;;) {
      FramePtr frame = take(stop);
      if (!frame) return true;
      if (!forward(std::move(frame), std::max<std::size_t>(g_.begin, 1))) return false;
    }
  }

  // The next frame from the source or the input ring; nullptr at the end.
  FramePtr take(const std::stop_token& stop) {
    if (g_.begin == 0) {
      current_ = p_.source_->name();
      if (!p_.source_->never_waits()) announce();
      FramePtr frame = p_.source_->next(stop);
      if (frame) p_.shared_->frames_from_source.fetch_add(1, std::memory_order_relaxed);
      return frame;
    }
    auto item = g_.in->try_pop();
    if (!item) {
      announce();
      item = g_.in->pop();
    }
    if (!item) return nullptr;
    g_.in_max_age_ns = std::max(g_.in_max_age_ns, item->age_ns());
    return std::move(item->value);
  }

  void announce() {
    if (unannounced_ > 0) g_.out->wake_consumer();
    unannounced_ = 0;
  }

  // Hands `frame` to node `idx` and on through the group; past the group it goes to the ring.
  // Returns false once downstream has cancelled.
  bool forward(FramePtr frame, std::size_t idx) {
    for (; frame && idx < g_.end; ++idx) {
      if (idx == last_) {
        current_ = p_.sink_->name();
        frame->stamp(p_.sink_->name());
        p_.sink_->consume(*frame);
        p_.shared_->frames_to_sink.fetch_add(1, std::memory_order_relaxed);
        return true;
      }
      current_ = p_.transforms_[idx - 1]->name();
      frame = p_.transforms_[idx - 1]->process(std::move(frame));
    }
    if (!frame) return true;
    const bool wake = !batch_wakes_ || ++unannounced_ >= kWakeBatch;
    if (wake) unannounced_ = 0;
    // The stage that handled the frame last stamped it just now: that reading serves as the
    // ring's enqueue time too.
    const MonoNs stamped = frame->newest_stamp_ns();
    return g_.out->push(std::move(frame), wake, stamped != 0 ? stamped : monotonic_ns());
  }

  void drain() {
    for (std::size_t idx = std::max<std::size_t>(g_.begin, 1); idx < std::min(g_.end, last_);
         ++idx) {
      current_ = p_.transforms_[idx - 1]->name();
      while (FramePtr held = p_.transforms_[idx - 1]->flush()) {
        if (!forward(std::move(held), idx + 1)) break;
      }
    }
  }

  [[nodiscard]] EndReason end_reason() const {
    if (p_.shared_->failed.load()) return EndReason::kUpstreamError;
    if (p_.shared_->stop_requested.load()) return EndReason::kStopRequested;
    return EndReason::kEndOfStream;
  }

  void finish_sink(EndReason reason) {
    current_ = p_.sink_->name();
    sink_finished_ = true;
    if (reason == EndReason::kUpstreamError) {
      const std::scoped_lock lock(p_.shared_->error_mutex);
      p_.sink_->upstream_failed(p_.shared_->failed_node, p_.shared_->error);
    }
    p_.sink_->finish(reason);
  }

  // Some node failed (here or elsewhere): unblock the neighbours, and tell the sink once.
  void after_failure() {
    if (g_.in) g_.in->cancel();
    if (g_.out) g_.out->close();
    if (g_.end != last_ + 1 || sink_finished_) return;
    try {
      finish_sink(EndReason::kUpstreamError);
    } catch (const std::exception& e) {
      p_.fail(p_.sink_->name(), e.what());
    }
  }

  Pipeline& p_;
  Group& g_;
  std::size_t last_;  // the sink's node index
  bool batch_wakes_;
  std::string_view current_ = "pipeline";
  bool sink_finished_ = false;
  std::size_t unannounced_ = 0;
};

void Pipeline::run_group(Group& g) {
  GroupRun(*this, g).run();
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
