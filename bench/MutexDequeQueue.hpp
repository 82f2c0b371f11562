#pragma once
// The baseline the ring is measured against: the queue most code would write first, a mutex and
// a condition variable around std::deque, bounded, with back-pressure. Same interface as the
// parts of SpscRing the benchmarks use.
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

#include "core/QueueItem.hpp"

namespace streamdx {

template <class T>
class MutexDequeQueue {
 public:
  using Item = QueueItem<T>;

  explicit MutexDequeQueue(std::size_t capacity) : capacity_(capacity) {}

  bool push(std::unique_ptr<T> v) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return items_.size() < capacity_; });
    items_.push_back(Item{std::move(v), monotonic_ns()});
    not_empty_.notify_one();
    return true;
  }
  void close() {
    const std::scoped_lock lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
  }
  std::optional<Item> pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !items_.empty() || closed_; });
    if (items_.empty()) return std::nullopt;
    Item it = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return it;
  }

 private:
  std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<Item> items_;
  bool closed_ = false;
};

}  // namespace streamdx
