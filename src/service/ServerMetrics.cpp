#include "service/ServerMetrics.hpp"

#include <fmt/format.h>

#include <bit>

#include "core/Percentile.hpp"
#include "service/DecoderProtocol.hpp"

namespace streamdx::service {

namespace {

void push_ring(std::vector<double>& ring, std::size_t& next, double value) {
  if (ring.size() < ServerMetrics::kSamples) {
    ring.push_back(value);
  } else {
    ring[next] = value;
  }
  next = (next + 1) % ServerMetrics::kSamples;
}

json::Json summary(const std::vector<double>& values) {
  return {{"count", values.size()},
          {"p50_ms", json::rounded(percentile(values, 0.5), 3)},
          {"p99_ms", json::rounded(percentile(values, 0.99), 3)},
          {"max_ms", json::rounded(percentile(values, 1.0), 3)}};
}

std::string bucket_label(std::size_t b) {
  const std::size_t lo = std::size_t{1} << b;
  if (b + 1 == ServerMetrics::kBuckets) return fmt::format("{}+", lo);
  const std::size_t hi = (lo << 1) - 1;
  return lo == hi ? fmt::format("{}", lo) : fmt::format("{}-{}", lo, hi);
}

}  // namespace

ServerMetrics::ServerMetrics(ServerIdentity identity) : identity_(std::move(identity)) {}

void ServerMetrics::request_received() {
  const std::lock_guard lock(mutex_);
  ++requests_;
}

void ServerMetrics::busy_sent() {
  const std::lock_guard lock(mutex_);
  ++busy_;
}

void ServerMetrics::error_sent() {
  const std::lock_guard lock(mutex_);
  ++errors_;
}

void ServerMetrics::batch_done(std::size_t windows, std::size_t /*requests*/, double compute_ms,
                               const std::vector<double>& queue_delays_ms) {
  const std::lock_guard lock(mutex_);
  ++batches_;
  windows_ += windows;
  compute_total_ms_ += compute_ms;
  const auto bucket = static_cast<std::size_t>(std::bit_width(windows) - 1);
  ++batch_sizes_[std::min(bucket, kBuckets - 1)];
  push_ring(compute_ms_, compute_next_, compute_ms);
  for (double d : queue_delays_ms) push_ring(queue_delay_ms_, delay_next_, d);
}

void ServerMetrics::client_connected() {
  const std::lock_guard lock(mutex_);
  ++clients_;
}

void ServerMetrics::client_disconnected() {
  const std::lock_guard lock(mutex_);
  --clients_;
}

void ServerMetrics::client_refused() {
  const std::lock_guard lock(mutex_);
  ++refused_;
}

void ServerMetrics::reply_undelivered() {
  const std::lock_guard lock(mutex_);
  ++undelivered_;
}

json::Json ServerMetrics::hello() const {
  const std::lock_guard lock(mutex_);
  return {{"protocol", kVersion},
          {"model_sha256", identity_.model_sha256},
          {"engine", identity_.engine},
          {"device", identity_.device},
          {"encoding_size", identity_.encoding_size},
          {"steps", 7},
          {"max_channels", kMaxChannels},
          {"max_batch_windows", identity_.max_batch},
          {"max_request_bytes", kMaxRequestBytes}};
}

json::Json ServerMetrics::to_json() const {
  const std::lock_guard lock(mutex_);
  json::Json histogram = json::Json::object();
  for (std::size_t b = 0; b < kBuckets; ++b) {
    if (batch_sizes_[b] > 0) histogram[bucket_label(b)] = batch_sizes_[b];
  }
  const double uptime_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  return {{"format", "streamdx serve-status 1"},
          {"model",
           {{"file", identity_.model_file},
            {"sha256", identity_.model_sha256},
            {"engine", identity_.engine},
            {"device", identity_.device}}},
          {"endpoints", identity_.endpoints},
          {"curve", identity_.curve},
          {"uptime_s", json::rounded(uptime_s, 3)},
          {"max_batch_windows", identity_.max_batch},
          {"max_queue_windows", identity_.max_queue},
          {"max_queue_delay_us", identity_.max_queue_delay_us},
          {"requests", requests_},
          {"windows", windows_},
          {"batches", batches_},
          {"mean_batch_windows",
           batches_ == 0
               ? 0.0
               : json::rounded(static_cast<double>(windows_) / static_cast<double>(batches_), 2)},
          {"batch_windows_histogram", histogram},
          {"queue_delay", summary(queue_delay_ms_)},
          {"compute", summary(compute_ms_)},
          {"compute_total_s", json::rounded(compute_total_ms_ / 1000.0, 3)},
          {"busy_replies", busy_},
          {"error_replies", errors_},
          {"replies_undelivered", undelivered_},
          {"clients_connected", clients_},
          {"clients_refused", refused_}};
}

std::string stats_text(const json::Json& s) {
  std::string out;
  const auto& m = s.at("model");
  out += fmt::format("model        {} (sha256 {}), {} on {}\n", m.at("file").get<std::string>(),
                     m.at("sha256").get<std::string>(), m.at("engine").get<std::string>(),
                     m.at("device").get<std::string>());
  out += fmt::format("uptime       {:.1f} s, clients connected {}, refused {}\n",
                     s.at("uptime_s").get<double>(), s.at("clients_connected").get<long long>(),
                     s.at("clients_refused").get<long long>());
  out += fmt::format("requests     {}, windows {}, batches {} (mean {} windows)\n",
                     s.at("requests").get<long long>(), s.at("windows").get<long long>(),
                     s.at("batches").get<long long>(), s.at("mean_batch_windows").dump());
  out +=
      fmt::format("busy         {} replies (queue full at {} windows), errors {}\n",
                  s.at("busy_replies").get<long long>(), s.at("max_queue_windows").get<long long>(),
                  s.at("error_replies").get<long long>());
  for (const char* key : {"queue_delay", "compute"}) {
    const auto& p = s.at(key);
    out += fmt::format("{:<12} p50 {} ms, p99 {} ms, max {} ms over the last {}\n",
                       std::string(key) == "queue_delay" ? "queue delay" : "compute",
                       p.at("p50_ms").dump(), p.at("p99_ms").dump(), p.at("max_ms").dump(),
                       p.at("count").dump());
  }
  out += "batch sizes  ";
  for (const auto& [label, count] : s.at("batch_windows_histogram").items()) {
    out += fmt::format("{}: {}  ", label, count.dump());
  }
  out += "\n";
  return out;
}

}  // namespace streamdx::service
