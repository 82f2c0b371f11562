#pragma once
// What `streamdx serve` reports on its stats request (`streamdx serve-status`): counts, the
// histogram of batch sizes, queue delay and compute time percentiles, busy replies, clients.
//
// The socket thread and the compute thread both record; one mutex guards everything, taken once
// per message or batch, never across a model call. Delays and compute times keep the last
// kSamples values each (a bounded window: the server runs for months), so their percentiles
// describe recent load; the counts cover the server's whole life.
#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "core/Json.hpp"

namespace streamdx::service {

struct ServerIdentity {
  std::string model_file;
  std::string model_sha256;
  std::string engine;
  std::string device;
  std::size_t encoding_size = 0;
  std::size_t max_batch = 0;  // windows per forward pass
  std::size_t max_queue = 0;  // windows waiting, at most
  std::int64_t max_queue_delay_us = 0;
  std::vector<std::string> endpoints;
  bool curve = false;
};

class ServerMetrics {
 public:
  static constexpr std::size_t kSamples = 65536;
  static constexpr std::size_t kBuckets = 16;  // batch sizes: 1, 2-3, 4-7, ..., 2^15 and more

  explicit ServerMetrics(ServerIdentity identity);

  void request_received();
  void busy_sent();
  void error_sent();
  void batch_done(std::size_t windows, std::size_t requests, double compute_ms,
                  const std::vector<double>& queue_delays_ms);
  void client_connected();
  void client_disconnected();
  void client_refused();
  void reply_undelivered();  // the client vanished before its reply

  // Everything, for the stats reply.
  [[nodiscard]] json::Json to_json() const;
  // The hello reply: what a client checks before it sends windows.
  [[nodiscard]] json::Json hello() const;

 private:
  mutable std::mutex mutex_;
  ServerIdentity identity_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::uint64_t requests_ = 0;
  std::uint64_t windows_ = 0;
  std::uint64_t batches_ = 0;
  std::uint64_t busy_ = 0;
  std::uint64_t errors_ = 0;
  std::int64_t clients_ = 0;
  std::uint64_t refused_ = 0;
  std::uint64_t undelivered_ = 0;
  double compute_total_ms_ = 0;
  std::array<std::uint64_t, kBuckets> batch_sizes_{};
  std::vector<double> queue_delay_ms_;  // a ring of the last kSamples
  std::vector<double> compute_ms_;
  std::size_t delay_next_ = 0;
  std::size_t compute_next_ = 0;
};

// Prints a stats reply (to_json()) as lines of text for a person.
std::string stats_text(const json::Json& stats);

}  // namespace streamdx::service
