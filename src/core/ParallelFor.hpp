#pragma once
// parallel_for: runs task(0) ... task(tasks - 1) on up to `threads` threads (the caller's
// included), handing tasks out in order from a shared counter. Results are deterministic when
// each task writes only its own outputs: how many threads ran, or which ran what, cannot change
// them. The first exception thrown by a task is rethrown on the caller's thread.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace streamdx {

template <class Task>
void parallel_for(std::size_t tasks, unsigned threads, Task&& task) {
  const std::size_t workers = std::min<std::size_t>(std::max(1U, threads), tasks);
  if (workers <= 1) {
    for (std::size_t i = 0; i < tasks; ++i) task(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto run = [&] {
    for (std::size_t i = next++; i < tasks; i = next++) {
      try {
        task(i);
      } catch (...) {
        const std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        next = tasks;
      }
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  for (std::size_t w = 1; w < workers; ++w) pool.emplace_back(run);
  run();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace streamdx
