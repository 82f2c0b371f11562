#include "batch/TaskRecord.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>

#include "core/Json.hpp"
#include "io/AtomicFile.hpp"
#include "runtime/ModelLoading.hpp"

namespace streamdx::batch {

namespace {

constexpr const char* kResultFormat = "streamdx batch task 1";

std::string host_name() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0) return "?";
  return name.data();
}

std::string utc_now() {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

json::Json digest_json(const std::optional<std::uint64_t>& d) {
  return d ? json::Json(fmt::format("{:016x}", *d)) : json::Json();
}

std::optional<std::uint64_t> digest_from(const json::Json& j) {
  if (j.is_null()) return std::nullopt;
  return std::stoull(j.get<std::string>(), nullptr, 16);
}

void write_json(const std::filesystem::path& path, const json::Json& doc) {
  write_file_atomically(path, json::text(doc));
}

}  // namespace

TaskFiles::TaskFiles(const BatchPlan& plan, std::size_t task)
    : task_(task), base_((plan.task_dir() / fmt::format("task-{:06}", task)).string()) {}

void TaskFiles::mark_running() const {
  std::filesystem::create_directories(result().parent_path());
  write_json(running(), {{"host", host_name()}, {"pid", getpid()}, {"started_utc", utc_now()}});
}

void TaskFiles::clear() const {
  for (const auto& p : {result(), manifest(), running()}) {
    std::error_code ignored;
    std::filesystem::remove(p, ignored);
  }
}

void TaskFiles::write(const TaskResult& r) const {
  std::filesystem::create_directories(result().parent_path());
  json::Json decisions = json::Json::array();
  for (const StoredDecision& d : r.decisions) {
    json::Json row = json::Json::array({d.first_sample_ns});
    for (float v : d.values) row.push_back(v);
    decisions.push_back(std::move(row));
  }
  write_json(result(), {{"format", kResultFormat},
                        {"task", task_},
                        {"status", r.failed ? "failed" : "done"},
                        {"error", r.error},
                        {"digest_at_start", digest_json(r.digest_at_start)},
                        {"digest_at_end", digest_json(r.digest_at_end)},
                        {"decisions", decisions}});
  write_json(manifest(), {{"task", task_},
                          {"status", r.failed ? "failed" : "done"},
                          {"error", r.error},
                          {"result_sha256", sha256_file(result())},
                          {"seconds", r.seconds},
                          {"host", host_name()},
                          {"finished_utc", utc_now()}});
  std::error_code ignored;
  std::filesystem::remove(running(), ignored);
}

TaskStatus TaskFiles::status() const {
  TaskStatus s;
  if (std::filesystem::exists(manifest())) {
    try {
      const json::Json m = json::read_file(manifest());
      s.seconds = m.value("seconds", 0.0);
      if (!std::filesystem::exists(result()) ||
          sha256_file(result()) != m.at("result_sha256").get<std::string>()) {
        s.state = TaskState::kCorrupt;
        s.detail = fmt::format("{} does not match its manifest", result().string());
        return s;
      }
      s.state = m.at("status").get<std::string>() == "done" ? TaskState::kDone : TaskState::kFailed;
      s.detail = m.value("error", "");
    } catch (const std::exception& e) {
      s.state = TaskState::kCorrupt;
      s.detail = e.what();
    }
    return s;
  }
  if (!std::filesystem::exists(running())) return s;
  s.state = TaskState::kRunning;
  try {
    const json::Json m = json::read_file(running());
    const std::string host = m.value("host", "?");
    const int pid = m.value("pid", 0);
    s.detail = fmt::format("on {} (pid {}) since {}", host, pid, m.value("started_utc", "?"));
    // On this host, a pid that is gone is a task that was killed: it will never finish.
    if (host == host_name() && pid > 0 && kill(pid, 0) != 0 && errno == ESRCH) {
      s.state = TaskState::kStale;
    }
  } catch (const std::exception& e) {
    s.detail = e.what();
  }
  return s;
}

TaskResult TaskFiles::read(const TaskStatus& s) const {
  if (s.state != TaskState::kDone && s.state != TaskState::kFailed) {
    throw std::runtime_error(fmt::format("task {} has not finished ({})", task_,
                                         s.detail.empty() ? "no manifest" : s.detail));
  }
  const json::Json doc = json::read_file(result());
  TaskResult r;
  try {
    if (doc.at("format").get<std::string>() != kResultFormat) throw std::runtime_error("format");
    r.task = doc.at("task").get<std::size_t>();
    r.failed = doc.at("status").get<std::string>() == "failed";
    r.error = doc.at("error").get<std::string>();
    r.digest_at_start = digest_from(doc.at("digest_at_start"));
    r.digest_at_end = digest_from(doc.at("digest_at_end"));
    r.seconds = s.seconds;
    for (const json::Json& row : doc.at("decisions")) {
      StoredDecision d;
      d.first_sample_ns = row.at(0).get<std::int64_t>();
      for (std::size_t i = 0; i < kDecisionFields; ++i) {
        d.values[i] = row.at(i + 1).get<float>();
      }
      r.decisions.push_back(d);
    }
  } catch (const std::exception& e) {
    throw std::runtime_error(
        fmt::format("{}: a malformed task result: {}", result().string(), e.what()));
  }
  return r;
}

}  // namespace streamdx::batch
