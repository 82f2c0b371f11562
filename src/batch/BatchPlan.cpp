#include "batch/BatchPlan.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/Json.hpp"
#include "io/AtomicFile.hpp"
#include "io/EdfHeader.hpp"
#include "io/SeizureAnnotations.hpp"
#include "io/TextParsing.hpp"
#include "runtime/FrameEndpoints.hpp"

namespace streamdx::batch {

namespace {

constexpr const char* kFormat = "streamdx batch plan 1";

// The smallest number of data records that spans whole seconds (1 for 1 s records, 10 for
// 0.1 s ones), or 0 when none up to 1,000 does.
std::int64_t records_per_boundary(double record_s) {
  for (std::int64_t r = 1; r <= 1000; ++r) {
    const double t = static_cast<double>(r) * record_s;
    if (t >= 1 - 1e-9 && std::abs(t - std::round(t)) < 1e-9) return r;
  }
  return 0;
}

// Seconds at record `r`, to the nanosecond as EdfHeader::duration_s() gives them.
double seconds_at(std::int64_t r, double record_s) {
  return std::round(static_cast<double>(r) * record_s * 1e9) / 1e9;
}

// `discontinuous`: an EDF+D/BDF+D recording, which is not cut (its header is read once, here).
PlannedRecording describe(const std::filesystem::path& corpus, const std::filesystem::path& out,
                          const std::filesystem::path& edf, bool& discontinuous) {
  PlannedRecording r;
  r.path = std::filesystem::absolute(edf).lexically_normal();
  r.name = edf.stem().string();
  r.out_dir =
      (out / std::filesystem::relative(edf.parent_path(), corpus) / r.name).lexically_normal();
  try {
    const EdfHeader h = EdfHeader::read(edf);
    r.duration_s = h.duration_s();
    r.record_s = h.record_duration_s;
    r.records = h.records;
    discontinuous = h.is_discontinuous();
    if (h.records == 0) r.error = fmt::format("{}: no data records", edf.string());
  } catch (const std::exception& e) {
    r.error = e.what();
  }
  try {
    if (const auto found = find_seizure_annotations(edf)) r.reference = found->source;
  } catch (const std::exception& e) {
    spdlog::warn("{} (the recording is processed; the merge reports it unscored)", e.what());
  }
  return r;
}

void plan_chunks(BatchPlan& plan, std::size_t rec_index, bool discontinuous) {
  const PlannedRecording& r = plan.recordings[rec_index];
  const std::int64_t grid = records_per_boundary(r.record_s);
  std::int64_t step = r.records;  // one task
  std::int64_t overlap = 0;
  if (plan.options.chunk_s > 0 && grid > 0 && !discontinuous && r.error.empty()) {
    const double grid_s = static_cast<double>(grid) * r.record_s;
    step = std::max<std::int64_t>(1, std::llround(plan.options.chunk_s / grid_s)) * grid;
    overlap = static_cast<std::int64_t>(std::ceil(plan.options.overlap_s / grid_s - 1e-9)) * grid;
  }
  const auto tail = static_cast<std::int64_t>(std::ceil(kChunkTailS / std::max(r.record_s, 1e-9)));
  std::vector<PlannedTask> chunks;
  for (std::int64_t b = 0; b < r.records || (b == 0 && r.records == 0);
       b += std::max<std::int64_t>(step, 1)) {
    PlannedTask t;
    t.recording = rec_index;
    t.chunk = chunks.size();
    const std::int64_t stop = std::min(b + step, r.records);
    t.first_record = std::max<std::int64_t>(0, b - overlap);
    t.end_record = stop >= r.records || stop + tail >= r.records ? -1 : stop + tail;
    t.read_from_s = seconds_at(t.first_record, r.record_s);
    t.start_s = seconds_at(b, r.record_s);
    t.stop_s = seconds_at(stop, r.record_s);
    if (t.first_record > 0) t.checkpoint_start_s = t.start_s - kCheckpointLeadS;
    if (stop < r.records) t.checkpoint_end_s = t.stop_s - kCheckpointLeadS;
    chunks.push_back(t);
    if (r.records == 0) break;
  }
  for (PlannedTask& t : chunks) {
    t.chunks = chunks.size();
    t.index = plan.tasks.size();
    plan.tasks.push_back(t);
  }
}

json::Json task_json(const PlannedTask& t) {
  return {{"index", t.index},
          {"recording", t.recording},
          {"chunk", t.chunk},
          {"chunks", t.chunks},
          {"first_record", t.first_record},
          {"end_record", t.end_record},
          {"read_from_s", t.read_from_s},
          {"start_s", t.start_s},
          {"stop_s", t.stop_s},
          {"checkpoint_start_s", t.checkpoint_start_s},
          {"checkpoint_end_s", t.checkpoint_end_s}};
}

}  // namespace

Config BatchPlan::config() const {
  Config c;
  c.merge_text(config_toml, "the plan's configuration");
  return c;
}

BatchPlan make_batch_plan(const std::filesystem::path& corpus, const std::filesystem::path& out,
                          const BatchOptions& options, const Config& config) {
  if (!std::filesystem::is_directory(corpus)) {
    throw std::runtime_error(fmt::format("{}: corpus directory not found", corpus.string()));
  }
  if (options.chunk_s != 0 && options.chunk_s < kMinChunkS) {
    throw std::invalid_argument(fmt::format(
        "--chunk-minutes: a chunk of {} s is under the {} s minimum", options.chunk_s, kMinChunkS));
  }
  if (options.overlap_s < kMinOverlapS) {
    throw std::invalid_argument(
        fmt::format("--overlap: {} s is under the {} s the stages need to warm up",
                    options.overlap_s, kMinOverlapS));
  }
  BatchPlan plan;
  plan.corpus = std::filesystem::absolute(corpus).lexically_normal();
  plan.out = std::filesystem::absolute(out).lexically_normal();
  plan.options = options;
  plan.config_toml = config.to_toml();
  std::vector<std::filesystem::path> edfs;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(corpus)) {
    if (entry.is_regular_file() && is_edf_path(entry.path().string())) edfs.push_back(entry.path());
  }
  std::sort(edfs.begin(), edfs.end());
  if (edfs.empty()) {
    throw std::runtime_error(
        fmt::format("{}: no .edf or .bdf recording below it", corpus.string()));
  }
  for (const auto& edf : edfs) {
    bool discontinuous = false;
    plan.recordings.push_back(describe(corpus, plan.out, edf, discontinuous));
    plan_chunks(plan, plan.recordings.size() - 1, discontinuous);
  }
  return plan;
}

void write_batch_plan(const BatchPlan& plan, const std::filesystem::path& path) {
  json::Json recordings = json::Json::array();
  for (const PlannedRecording& r : plan.recordings) {
    recordings.push_back({{"name", r.name},
                          {"path", r.path.string()},
                          {"out_dir", r.out_dir.string()},
                          {"duration_s", r.duration_s},
                          {"record_s", r.record_s},
                          {"records", r.records},
                          {"reference", r.reference.string()},
                          {"error", r.error}});
  }
  json::Json tasks = json::Json::array();
  for (const PlannedTask& t : plan.tasks) tasks.push_back(task_json(t));
  const json::Json doc = {{"format", kFormat},
                          {"corpus", plan.corpus.string()},
                          {"out", plan.out.string()},
                          {"chunk_s", plan.options.chunk_s},
                          {"overlap_s", plan.options.overlap_s},
                          {"tail_s", kChunkTailS},
                          {"checkpoint_lead_s", kCheckpointLeadS},
                          {"config", plan.config_toml},
                          {"recordings", recordings},
                          {"tasks", tasks}};
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  write_file_atomically(path, json::text(doc));
}

BatchPlan read_batch_plan(const std::filesystem::path& path) {
  return parse_batch_plan(read_text_file(path), path.string());
}

BatchPlan parse_batch_plan(std::string_view text, std::string_view origin) {
  const json::Json doc = json::parse(text, origin);
  if (!doc.is_object() || !doc.contains("format") || !doc["format"].is_string() ||
      doc["format"].get<std::string>() != kFormat) {
    throw std::runtime_error(
        fmt::format("{}: not a streamdx batch plan (format \"{}\" expected)", origin, kFormat));
  }
  try {
    BatchPlan plan;
    plan.corpus = doc.at("corpus").get<std::string>();
    plan.out = doc.at("out").get<std::string>();
    plan.options.chunk_s = doc.at("chunk_s").get<double>();
    plan.options.overlap_s = doc.at("overlap_s").get<double>();
    plan.config_toml = doc.at("config").get<std::string>();
    for (const json::Json& j : doc.at("recordings")) {
      PlannedRecording r;
      r.name = j.at("name").get<std::string>();
      r.path = j.at("path").get<std::string>();
      r.out_dir = j.at("out_dir").get<std::string>();
      r.duration_s = j.at("duration_s").get<double>();
      r.record_s = j.at("record_s").get<double>();
      r.records = j.at("records").get<std::int64_t>();
      r.reference = j.at("reference").get<std::string>();
      r.error = j.at("error").get<std::string>();
      plan.recordings.push_back(std::move(r));
    }
    for (const json::Json& j : doc.at("tasks")) {
      PlannedTask t;
      t.index = j.at("index").get<std::size_t>();
      t.recording = j.at("recording").get<std::size_t>();
      t.chunk = j.at("chunk").get<std::size_t>();
      t.chunks = j.at("chunks").get<std::size_t>();
      t.first_record = j.at("first_record").get<std::int64_t>();
      t.end_record = j.at("end_record").get<std::int64_t>();
      t.read_from_s = j.at("read_from_s").get<double>();
      t.start_s = j.at("start_s").get<double>();
      t.stop_s = j.at("stop_s").get<double>();
      t.checkpoint_start_s = j.at("checkpoint_start_s").get<double>();
      t.checkpoint_end_s = j.at("checkpoint_end_s").get<double>();
      if (t.index != plan.tasks.size() || t.recording >= plan.recordings.size() || t.chunks == 0 ||
          t.chunk >= t.chunks) {
        throw std::runtime_error(fmt::format("task {} is out of order", t.index));
      }
      plan.tasks.push_back(t);
    }
    return plan;
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("{}: a malformed plan: {}", origin, e.what()));
  }
}

}  // namespace streamdx::batch
