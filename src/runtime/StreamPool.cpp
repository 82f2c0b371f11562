#include "runtime/StreamPool.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "runtime/PoolWorker.hpp"
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

std::size_t pool_workers(std::size_t requested, std::size_t streams) {
  return std::clamp<std::size_t>(requested > 0 ? requested : std::thread::hardware_concurrency(), 1,
                                 std::max<std::size_t>(streams, 1));
}

StreamPoolResult run_stream_pool(std::size_t streams, const BuildStream& build,
                                 const StreamPoolOptions& options) {
  if (streams == 0) throw std::invalid_argument("stream pool: no streams");
  const std::size_t workers_n = pool_workers(options.workers, streams);
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
