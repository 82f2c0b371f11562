#include "runtime/PoolWorker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <stdexcept>
#include <thread>

namespace streamdx {

namespace {

double ms_between(MonoNs a, MonoNs b) {
  return static_cast<double>(b - a) / 1e6;
}

}  // namespace

void PoolFailure::record(std::string_view where, std::string_view what) {
  const std::scoped_lock lock(mutex);
  if (failed.exchange(true)) return;
  node = where;
  error = what;
}

void PoolWorker::add(std::unique_ptr<StreamChain> chain) {
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

void PoolWorker::warm_up() {
  timing_ = false;
  for (std::size_t s = 0; s < streams_.size(); ++s) {
    for (std::size_t k = 0; k < streams_[s]->warm_up_frames_; ++k) {
      take_next_frame(s);
      finish_rounds();
    }
  }
  timing_ = true;
}

void PoolWorker::reserve(std::size_t ticks) {
  const std::size_t calls = ticks * streams_.size();
  for (auto& v : node_ms_) v.reserve(calls);
  output_ms_.reserve(calls);
}

void PoolWorker::run(MonoNs start, MonoNs end, const std::atomic<bool>& stop) {
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

void PoolWorker::report(StreamPoolResult& r) const {
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

void PoolWorker::configure(StreamChain& chain) {
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

MonoNs PoolWorker::wait_until(MonoNs tick) {
  if (!options_.paced) return tick;
  const MonoNs now = monotonic_ns();
  if (now < tick) {
    std::this_thread::sleep_for(std::chrono::nanoseconds(tick - now));
  } else if (now - tick > options_.tick_ns) {
    ++late_ticks_;
  }
  return tick;
}

void PoolWorker::take_next_frame(std::size_t s) {
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

std::int64_t PoolWorker::delayed_time(StreamChain::DelayLine& line, std::int64_t t, bool push) {
  const std::size_t n = line.times.size();
  if (push) line.times[line.pushed++ % n] = t;
  const std::size_t back = std::min(n - 1, line.pushed - 1);
  return line.times[(line.pushed - 1 - back) % n];
}

void PoolWorker::advance(std::size_t s, std::size_t from, std::span<const float> in,
                         std::int64_t t) {
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

void PoolWorker::deliver(StreamChain& chain, std::span<const float> out, std::int64_t t) {
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

FrameBatch& PoolWorker::batch_for(std::size_t node, const PooledTransform& stage) {
  auto& slot = batches_[{node, stage.batch_key()}];
  if (!slot) slot = stage.make_batch();
  return *slot;
}

void PoolWorker::finish_rounds() {
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

void PoolWorker::run_batches(const std::vector<Waiting>& round) {
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

void PoolWorker::end_stream(std::size_t s) {
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

void PoolWorker::finish_ended() {
  for (const std::size_t s : ending_) {
    current_node_ = streams_[s]->sink_->name();
    streams_[s]->sink_->finish(EndReason::kEndOfStream);
  }
  ending_.clear();
}

void PoolWorker::finish_all(EndReason reason) {
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

bool PoolWorker::all_ended() const {
  return std::all_of(streams_.begin(), streams_.end(), [](const auto& c) { return c->ended_; });
}

void PoolWorker::record(std::vector<double>& into, MonoNs t0) const {
  if (timing_) into.push_back(ms_between(t0, monotonic_ns()));
}

}  // namespace streamdx
