#pragma once
// SpscRing: the bounded single-producer / single-consumer queue that joins two stages in one
// process. It is built on boost::lockfree::spsc_queue and adds what a streaming pipeline needs:
// an explicit full policy, an exact drop counter, end-of-stream, and the age of what is read.
//
// Invariants
// - Exactly one producer thread calls push() and close(); exactly one consumer thread calls
//   pop()/try_pop() and cancel(). The counters may be read from any thread.
// - The queue holds at most capacity() items. What happens when it is full is fixed at
//   construction:
//     kBackPressure: push() waits until the consumer frees a slot (or cancels). Nothing is lost.
//     kDropOldest:   push() never waits. It discards the oldest queued item to make room and
//                    counts it in dropped(). Readers therefore always see the newest data.
// - Index ownership: boost's write index belongs to the producer. Its read index belongs to
//   whoever holds pop_lock_: the consumer for a normal pop, or the producer for the single pop
//   that makes room under kDropOldest. The producer only ever *tries* that lock; if the consumer
//   holds it, the consumer is popping, a slot is about to free, and the producer retries. So the
//   producer never blocks under kDropOldest, and under kBackPressure the lock is never taken.
// - Exact accounting: pushed() == popped() + dropped() + size() at every quiescent point. Items
//   still queued when the ring is destroyed are freed, not counted as drops.
// - close() is end-of-stream: pop() returns every item pushed before it, then std::nullopt.
//   cancel() is the consumer walking away (an error downstream): push() then returns false at
//   once, even while waiting for space, and the item is freed.
// - Every item carries the monotonic time it was enqueued, so a reader knows how stale it is.
#include <atomic>
#include <boost/lockfree/spsc_queue.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>

#include "core/Clock.hpp"
#include "core/QueueItem.hpp"

namespace streamdx {

enum class FullPolicy { kBackPressure, kDropOldest };

template <class T>
class SpscRing {
 public:
  using Item = QueueItem<T>;

  SpscRing(std::size_t capacity, FullPolicy policy)
      : queue_(capacity), capacity_(capacity), policy_(policy) {
    if (capacity == 0) throw std::invalid_argument("SpscRing capacity must be at least 1");
  }
  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;
  ~SpscRing() {
    Envelope e;
    while (queue_.pop(e)) delete e.ptr;
  }

  // Producer. Returns false (and frees the value) only when the consumer has cancelled.
  // `wake_consumer = false` leaves a sleeping consumer asleep: the producer then owes it a
  // wake_consumer() before it waits for anything itself (Pipeline batches hand-offs this way).
  // A push that has to wait for space always wakes the consumer first. `enqueued_ns` lets a
  // producer that has just read the clock pass that reading instead of reading it again.
  bool push(std::unique_ptr<T> value, bool wake_consumer = true,
            MonoNs enqueued_ns = monotonic_ns()) {
    const Envelope e{value.release(), enqueued_ns};
    for (;;) {
      if (cancelled_.load(std::memory_order_acquire)) {
        delete e.ptr;
        return false;
      }
      if (queue_.push(e)) {
        pushed_.fetch_add(1, std::memory_order_relaxed);
        if (wake_consumer) wake(push_events_);
        return true;
      }
      if (policy_ == FullPolicy::kDropOldest) {
        drop_oldest();
        continue;
      }
      // kBackPressure: sleep until the consumer pops (or cancels), re-checking after reading the
      // event counter so that a pop between the failed push and the wait is never missed.
      wake(push_events_);  // a full ring's consumer must not sleep on deferred items
      const std::uint32_t seen = pop_events_.load(std::memory_order_acquire);
      if (queue_.write_available() > 0 || cancelled_.load(std::memory_order_acquire)) continue;
      pop_events_.wait(seen, std::memory_order_acquire);
    }
  }

  // Producer: wakes the consumer for items pushed with wake_consumer = false.
  void wake_consumer() noexcept { wake(push_events_); }

  // Producer: end of stream. Idempotent.
  void close() noexcept {
    closed_.store(true, std::memory_order_release);
    wake(push_events_);
  }

  // Consumer: the next item, waiting for one; std::nullopt at end of stream or after cancel().
  std::optional<Item> pop() {
    for (;;) {
      if (auto item = try_pop()) return item;
      const std::uint32_t seen = push_events_.load(std::memory_order_acquire);
      if (auto item = try_pop()) return item;
      if (cancelled_.load(std::memory_order_acquire)) return std::nullopt;
      if (closed_.load(std::memory_order_acquire)) return try_pop();  // pushes before close
      push_events_.wait(seen, std::memory_order_acquire);
    }
  }

  // Consumer: the next item if one is queued now.
  std::optional<Item> try_pop() {
    Envelope e;
    bool got = false;
    if (policy_ == FullPolicy::kDropOldest) {
      while (pop_lock_.test_and_set(std::memory_order_acquire)) {
        // Held only by the producer's single drop-pop: a few instructions.
      }
      got = queue_.pop(e);
      pop_lock_.clear(std::memory_order_release);
    } else {
      got = queue_.pop(e);
    }
    if (!got) return std::nullopt;
    popped_.fetch_add(1, std::memory_order_relaxed);
    wake(pop_events_);
    return Item{std::unique_ptr<T>(e.ptr), e.enqueued_ns};
  }

  // Consumer: stop taking items; the producer's pushes fail from now on.
  void cancel() noexcept {
    cancelled_.store(true, std::memory_order_release);
    wake(pop_events_);
    wake(push_events_);
  }

  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  [[nodiscard]] FullPolicy policy() const noexcept { return policy_; }
  [[nodiscard]] std::uint64_t pushed() const noexcept {
    return pushed_.load(std::memory_order_relaxed);
  }
  [[nodiscard]] std::uint64_t popped() const noexcept {
    return popped_.load(std::memory_order_relaxed);
  }
  [[nodiscard]] std::uint64_t dropped() const noexcept {
    return dropped_.load(std::memory_order_relaxed);
  }
  // Approximate while both sides run; exact when they are quiescent.
  [[nodiscard]] std::uint64_t size() const noexcept { return pushed() - popped() - dropped(); }
  [[nodiscard]] bool closed() const noexcept { return closed_.load(std::memory_order_acquire); }
  [[nodiscard]] bool cancelled() const noexcept {
    return cancelled_.load(std::memory_order_acquire);
  }

 private:
  // Trivially copyable, which boost 1.74's spsc_queue needs (it copies, it does not move).
  struct Envelope {
    T* ptr = nullptr;
    MonoNs enqueued_ns = 0;
  };

  static void wake(std::atomic<std::uint32_t>& events) noexcept {
    events.fetch_add(1, std::memory_order_release);
    events.notify_all();
  }

  // Producer side of kDropOldest: remove the oldest item, unless the consumer is popping right now
  // (then a slot is about to free and the caller simply retries its push).
  void drop_oldest() {
    if (pop_lock_.test_and_set(std::memory_order_acquire)) return;
    Envelope e;
    const bool got = queue_.pop(e);
    pop_lock_.clear(std::memory_order_release);
    if (got) {
      delete e.ptr;
      dropped_.fetch_add(1, std::memory_order_relaxed);
    }
  }

  boost::lockfree::spsc_queue<Envelope> queue_;
  const std::size_t capacity_;
  const FullPolicy policy_;

  std::atomic_flag pop_lock_;
  std::atomic<bool> closed_{false};
  std::atomic<bool> cancelled_{false};
  std::atomic<std::uint32_t> push_events_{0};
  std::atomic<std::uint32_t> pop_events_{0};
  std::atomic<std::uint64_t> pushed_{0};
  std::atomic<std::uint64_t> popped_{0};
  std::atomic<std::uint64_t> dropped_{0};
};

}  // namespace streamdx
