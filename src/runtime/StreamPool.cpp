#include "runtime/StreamPool.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>

#include "runtime/ProcessUsage.hpp"

namespace streamdx {

StreamChain& StreamChain::source(std::unique_ptr<PooledSource> source) {
  if (source_) throw std::logic_error("stream chain already has a source");
  source_ = std::move(source);
  return *this;
}

StreamChain& StreamChain::transform(std::unique_ptr<PooledTransform> node) {
  if (sink_) throw std::logic_error("stream chain transforms must be added before the sink");
  transforms_.push_back(std::move(node));
  return *this;
}

StreamChain& StreamChain::sink(std::unique_ptr<FrameSinkNode> node) {
  if (sink_) throw std::logic_error("stream chain already has a sink");
  sink_ = std::move(node);
  return *this;
}

namespace {

constexpr double kNsPerMs = 1e6;

double ms_between(MonoNs a, MonoNs b) {
  return static_cast<double>(b - a) / kNsPerMs;
}

// The first failure of a run, from whichever worker saw it.
struct PoolFailure {
  std::mutex mutex;
  std::atomic<bool> failed{false};
  std::string node;
  std::string error;

  void record(std::string_view where, std::string_view what) {
    const std::scoped_lock lock(mutex);
    if (failed.exchange(true)) return;
    node = where;
    error = what;
  }
};

}  // namespace

// One thread's streams and their batches. Recording a latency on the hot path is a store into
// a vector reserved before the first tick, never a lookup or an allocation.
class PoolWorker {
 public:
  PoolWorker(const StreamPoolOptions& options, PoolFailure& failure)
      : options_(options), failure_(failure) {}

  void add(std::unique_ptr<StreamChain> chain) {
    if (!chain->source_ || !chain->sink_) {
      throw std::logic_error("stream chain needs a source and a sink");
    }
    if (streams_.empty()) {
      for (const auto& node : chain->transforms_) node_names_.emplace_back(node->name());
      node_ms_.resize(node_names_.size());
    } else if (chain->transforms_.size() != node_names_.size()) {
      throw std::logic_error("every stream of a pool runs the same chain");
    }
    configure(*chain);
    streams_.push_back(std::move(chain));
    times_.push_back(0);
  }

  void warm_up() {
    timing_ = false;
    for (std::size_t s = 0; s < streams_.size(); ++s) {
      for (std::size_t k = 0; k < streams_[s]->warm_up_frames_; ++k) {
        take_next_frame(s);
        finish_rounds();
      }
    }
    timing_ = true;
  }

  void reserve(std::size_t ticks) {
    const std::size_t calls = ticks * streams_.size();
    for (auto& v : node_ms_) v.reserve(calls);
    output_ms_.reserve(calls);
  }

  // Runs ticks start, start + tick, ... before `end` (0: until every stream has ended).
  void run(MonoNs start, MonoNs end, const std::atomic<bool>& stop) {
    try {
      for (std::uint64_t k = 0;; ++k) {
        const MonoNs planned =
            options_.paced ? start + static_cast<MonoNs>(k) * options_.tick_ns : monotonic_ns();
        if ((end != 0 && planned >= end) || stop.load() || all_ended()) break;
        tick_ = wait_until(planned);
        ++ticks_;
        for (std::size_t s = 0; s < streams_.size(); ++s) take_next_frame(s);
        finish_rounds();
        finish_ended();
      }
      finish_all(EndReason::kStopRequested);
    } catch (const std::exception& e) {
      failure_.record(current_node_, e.what());
      finish_all(EndReason::kUpstreamError);
    }
  }

  void report(StreamPoolResult& r) const {
    r.frames += frames_;
    r.outputs += outputs_;
    r.ticks += ticks_;
    r.late_ticks += late_ticks_;
    for (std::size_t i = 0; i < node_names_.size(); ++i) {
      if (!node_ms_[i].empty()) r.latencies.add_all(node_names_[i], node_ms_[i]);
    }
    for (const auto& [name, ms] : batch_ms_) r.latencies.add_all(name + "_batch", ms);
    if (!output_ms_.empty()) r.latencies.add_all(options_.output_name, output_ms_);
  }

 private:
  struct Waiting {
    std::size_t stream;
    std::size_t node;
    std::size_t slot;
    FrameBatch* batch;
  };

  // Streams have a fixed shape from their source on: each stage is configured once, here.
  static void configure(StreamChain& chain) {
    StreamInfo info = chain.source_->info();
    chain.input_.assign(info.shape.sample_count(), 0.0F);
    for (const auto& node : chain.transforms_) {
      StreamChain::DelayLine line;
      line.times.assign(node->delay_frames() + 1, 0);
      chain.delays_.push_back(std::move(line));
      info = node->configure(info);
    }
    chain.output_.reshape(info.shape);
    chain.output_.stream_id = info.stream_id;
    chain.output_.sample_rate_hz = info.sample_rate_hz;
  }

  // Sleeps until a paced tick is due; counts it late when it starts over a tick behind.
  MonoNs wait_until(MonoNs tick) {
    if (!options_.paced) return tick;
    const MonoNs now = monotonic_ns();
    if (now < tick) {
      std::this_thread::sleep_for(std::chrono::nanoseconds(tick - now));
    } else if (now - tick > options_.tick_ns) {
      ++late_ticks_;
    }
    return tick;
  }

  void take_next_frame(std::size_t s) {
    StreamChain& chain = *streams_[s];
    if (chain.ended_) return;
    current_node_ = chain.source_->name();
    std::fill(chain.input_.begin(), chain.input_.end(), 0.0F);
    const std::optional<SourceBlockInfo> block = chain.source_->produce(chain.input_);
    if (!block) {
      end_stream(s);
      return;
    }
    if (timing_) ++frames_;
    advance(s, 0, chain.input_, block->first_sample_ns);
  }

  // The recording time of the input `node`'s output describes: `delay` inputs back, or the
  // oldest one seen while the delay fills (as TransformAdapter labels frames).
  static std::int64_t delayed_time(StreamChain::DelayLine& line, std::int64_t t, bool push) {
    const std::size_t n = line.times.size();
    if (push) line.times[line.pushed++ % n] = t;
    const std::size_t back = std::min(n - 1, line.pushed - 1);
    return line.times[(line.pushed - 1 - back) % n];
  }

  // Takes `in` from node `from` on until a stage holds it back, a batch gathers it, or it
  // reaches the sink.
  void advance(std::size_t s, std::size_t from, std::span<const float> in, std::int64_t t) {
    StreamChain& chain = *streams_[s];
    for (std::size_t i = from; i < chain.transforms_.size(); ++i) {
      PooledTransform& node = *chain.transforms_[i];
      current_node_ = node.name();
      const MonoNs t0 = monotonic_ns();
      t = delayed_time(chain.delays_[i], t, true);
      if (node.batched()) {
        FrameBatch& batch = batch_for(i, node);
        const std::optional<std::size_t> slot = node.gather(in, batch);
        record(node_ms_[i], t0);
        if (slot) waiting_.push_back(Waiting{s, i, *slot, &batch});
        times_[s] = t;
        return;
      }
      in = node.process(in);
      record(node_ms_[i], t0);
      if (in.empty()) return;
    }
    deliver(chain, in, t);
  }

  void deliver(StreamChain& chain, std::span<const float> out, std::int64_t t) {
    current_node_ = chain.sink_->name();
    Frame& f = chain.output_;
    std::copy(out.begin(), out.end(), f.samples.begin());
    f.first_sample_ns = t;
    f.stamp_count = 0;
    f.stamp("pool", tick_);
    chain.sink_->consume(f);
    ++f.sequence;
    if (timing_) {
      ++outputs_;
      output_ms_.push_back(ms_between(tick_, monotonic_ns()));
    }
  }

  FrameBatch& batch_for(std::size_t node, const PooledTransform& stage) {
    auto& slot = batches_[{node, stage.batch_key()}];
    if (!slot) slot = stage.make_batch();
    return *slot;
  }

  // Runs the waiting streams' batches, earliest chain position first, and takes each waiting
  // stream on from its batch's output (possibly into a later batch).
  void finish_rounds() {
    while (!waiting_.empty()) {
      std::size_t node = waiting_.front().node;
      for (const Waiting& w : waiting_) node = std::min(node, w.node);
      round_.clear();
      std::erase_if(waiting_, [&](const Waiting& w) {
        if (w.node != node) return false;
        round_.push_back(w);
        return true;
      });
      run_batches(round_);
      for (const Waiting& w : round_) {
        PooledTransform& stage = *streams_[w.stream]->transforms_[w.node];
        current_node_ = stage.name();
        const std::span<const float> out = stage.scatter(*w.batch, w.slot);
        advance(w.stream, w.node + 1, out, times_[w.stream]);
      }
      for (const Waiting& w : round_) w.batch->clear();
    }
  }

  void run_batches(const std::vector<Waiting>& round) {
    ran_.clear();
    for (const Waiting& w : round) {
      if (std::find(ran_.begin(), ran_.end(), w.batch) != ran_.end()) continue;
      const std::string& name = node_names_[w.node];
      current_node_ = name;
      const MonoNs t0 = monotonic_ns();
      w.batch->run();
      if (timing_) batch_ms_[name].push_back(ms_between(t0, monotonic_ns()));
      ran_.push_back(w.batch);
    }
  }

  void end_stream(std::size_t s) {
    StreamChain& chain = *streams_[s];
    for (std::size_t i = 0; i < chain.transforms_.size(); ++i) {
      current_node_ = chain.transforms_[i]->name();
      for (;;) {
        const std::span<const float> held = chain.transforms_[i]->flush();
        if (held.empty()) break;
        // Each held-back output describes the next input still inside the delay.
        auto& line = chain.delays_[i];
        ++line.pushed;
        advance(s, i + 1, held, delayed_time(line, 0, false));
      }
    }
    chain.ended_ = true;
    ending_.push_back(s);
  }

  // Sinks finish after the round that took their last frames through the batches.
  void finish_ended() {
    for (const std::size_t s : ending_) {
      current_node_ = streams_[s]->sink_->name();
      streams_[s]->sink_->finish(EndReason::kEndOfStream);
    }
    ending_.clear();
  }

  void finish_all(EndReason reason) {
    finish_ended();
    for (auto& chain : streams_) {
      if (chain->ended_) continue;
      chain->ended_ = true;
      try {
        if (reason == EndReason::kUpstreamError) {
          chain->sink_->upstream_failed(failure_.node, failure_.error);
        }
        chain->sink_->finish(reason);
      } catch (const std::exception& e) {
        failure_.record(chain->sink_->name(), e.what());
      }
    }
  }

  [[nodiscard]] bool all_ended() const {
    return std::all_of(streams_.begin(), streams_.end(), [](const auto& c) { return c->ended_; });
  }

  void record(std::vector<double>& into, MonoNs t0) const {
    if (timing_) into.push_back(ms_between(t0, monotonic_ns()));
  }

  const StreamPoolOptions& options_;
  PoolFailure& failure_;
  std::vector<std::unique_ptr<StreamChain>> streams_;
  std::vector<std::int64_t> times_;  // per stream: the recording time waiting in a batch
  std::map<std::pair<std::size_t, const void*>, std::unique_ptr<FrameBatch>> batches_;
  std::vector<Waiting> waiting_;
  std::vector<Waiting> round_;
  std::vector<FrameBatch*> ran_;
  std::vector<std::size_t> ending_;
  std::vector<std::string> node_names_;
  std::vector<std::vector<double>> node_ms_;
  std::map<std::string, std::vector<double>> batch_ms_;
  std::vector<double> output_ms_;
  std::string_view current_node_;
  MonoNs tick_ = 0;  // the start of the tick now running: outputs' latencies count from it
  bool timing_ = true;
  std::uint64_t frames_ = 0;
  std::uint64_t outputs_ = 0;
  std::uint64_t ticks_ = 0;
  std::uint64_t late_ticks_ = 0;
};

StreamPoolResult run_stream_pool(std::size_t streams, const BuildStream& build,
                                 const StreamPoolOptions& options) {
  if (streams == 0) throw std::invalid_argument("stream pool: no streams");
  const std::size_t workers_n = std::clamp<std::size_t>(
      options.workers > 0 ? options.workers : std::thread::hardware_concurrency(), 1, streams);
  PoolFailure failure;
  std::vector<std::unique_ptr<PoolWorker>> workers;
  for (std::size_t w = 0; w < workers_n; ++w) {
    workers.push_back(std::make_unique<PoolWorker>(options, failure));
  }
  for (std::size_t s = 0; s < streams; ++s) {
    auto chain = std::make_unique<StreamChain>();
    build(*chain, s, s % workers_n);
    workers[s % workers_n]->add(std::move(chain));
  }
  const auto ticks =
      static_cast<std::size_t>(options.duration_s * 1e9 / static_cast<double>(options.tick_ns)) + 1;
  for (auto& w : workers) {
    w->warm_up();
    if (options.duration_s > 0) w->reserve(ticks);
  }

  const double cpu0 = process_cpu_seconds();
  const MonoNs start = monotonic_ns() + (options.paced ? options.tick_ns : 0);
  const MonoNs end =
      options.duration_s > 0 ? start + static_cast<MonoNs>(options.duration_s * 1e9) : 0;
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> running{workers.size()};
  {
    std::vector<std::jthread> threads;
    threads.reserve(workers.size());
    for (auto& w : workers) {
      threads.emplace_back([&w, &running, &stop, start, end] {
        w->run(start, end, stop);
        running.fetch_sub(1);
      });
    }
    while (running.load() > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (options.stop.stop_requested() || failure.failed.load()) stop.store(true);
      if (options.progress && end != 0) {
        options.progress(std::clamp(
            static_cast<double>(monotonic_ns() - start) / static_cast<double>(end - start), 0.0,
            1.0));
      }
    }
  }
  StreamPoolResult r;
  r.streams = streams;
  r.workers = workers_n;
  r.wall_s = static_cast<double>(monotonic_ns() - start) / 1e9;
  r.cpu_s = process_cpu_seconds() - cpu0;
  r.ok = !failure.failed.load();
  r.failed_node = failure.node;
  r.error = failure.error;
  for (const auto& w : workers) w->report(r);
  return r;
}

}  // namespace streamdx
