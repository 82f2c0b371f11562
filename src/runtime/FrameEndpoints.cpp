#include "runtime/FrameEndpoints.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <stdexcept>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "core/FileErrors.hpp"
#include "core/RealtimePacer.hpp"
#include "core/Version.hpp"
#include "io/DiscardSink.hpp"
#include "io/EdfSignalWriter.hpp"
#include "io/FrameFile.hpp"
#include "io/NpyFrameSink.hpp"
#include "io/TextParsing.hpp"
#include "io/ZmqFrameReceiver.hpp"
#include "io/ZmqFrameSender.hpp"
#include "runtime/SourceOptions.hpp"

namespace streamdx {

namespace {

ZmqEdgeOptions zmq_options(const Config& config) {
  ZmqEdgeOptions o;
  o.peer_timeout_s = config.get_double("zmq.peer_timeout_s");
  o.high_water_mark = static_cast<int>(config.get_int("zmq.high_water_mark"));
  return o;
}

template <class T>
T checked_range(const Config& config, std::string_view key, std::int64_t lo, std::int64_t hi) {
  const std::int64_t v = config.get_int(key);
  if (v < lo || v > hi) {
    throw std::invalid_argument(fmt::format("{} = {} is outside [{}, {}]", key, v, lo, hi));
  }
  return static_cast<T>(v);
}

}  // namespace

bool is_edf_path(std::string_view spec) {
  const std::string ext = lower_ascii(std::filesystem::path(spec).extension().string());
  return ext == ".edf" || ext == ".bdf";
}

bool is_text_path(std::string_view spec) {
  const std::string ext = lower_ascii(std::filesystem::path(spec).extension().string());
  return ext == ".csv" || ext == ".txt" || ext == ".raw";
}

void apply_source_options(const SourceOptions& source, Config& config) {
  if (source.seed) config.set_int("simulate.seed", *source.seed);
  if (source.duration_s) config.set_double("simulate.duration_s", *source.duration_s);
  if (source.threads) config.set_string("pipeline.threads", *source.threads);
  if (source.montage) config.set_string("eeg.montage", *source.montage);
  if (source.input_rate_hz) config.set_double("eeg.input_rate_hz", *source.input_rate_hz);
}

void refuse_endless_simulation_into_files(const SourceOptions& source, const Config& config,
                                          bool writes_files) {
  if (source.from != "sim" || source.realtime || !writes_files) return;
  if (config.get_double("simulate.duration_s") > 0) return;
  throw std::invalid_argument(
      "simulate.duration_s = 0 is endless, and at full speed its files would fill the disk: give "
      "--duration SECONDS, or --realtime to pace it, or stream it to a ZeroMQ endpoint or null");
}

EegSourceSettings eeg_source_settings(const Config& config) {
  EegSourceSettings s;
  s.montage = parse_montage_kind(config.get_string("eeg.montage"));
  return s;
}

SyntheticEegSettings simulate_settings(const Config& config) {
  SyntheticEegSettings s;
  s.channels = checked_range<std::uint16_t>(config, "simulate.channels", 1, 1024);
  s.duration_s = config.get_double("simulate.duration_s");
  s.seed = static_cast<std::uint64_t>(config.get_int("simulate.seed"));
  s.discharge_start_s = config.get_double("simulate.discharge_start_s");
  s.discharge_length_s = config.get_double("simulate.discharge_length_s");
  s.discharge_hz = config.get_double("simulate.discharge_hz");
  s.discharge_pattern = parse_discharge_pattern(config.get_string("simulate.discharge_pattern"));
  return s;
}

namespace {

// A montage formed in part is said once, where the source opens.
void warn_missing(std::string_view spec, const MontagePlan& plan) {
  if (plan.missing.empty()) return;
  spdlog::warn("{}: {} montage formed in part: {} of {} channels; missing {}", spec,
               montage_kind_name(plan.kind), plan.channels.size(),
               plan.channels.size() + plan.missing.size(), fmt::join(plan.missing, ", "));
}

std::vector<std::string> plan_labels(const MontagePlan& plan) {
  std::vector<std::string> labels;
  for (const MontageChannel& c : plan.channels) labels.push_back(c.label);
  return labels;
}

std::vector<std::string> simulated_labels(std::size_t channels) {
  // The simulator models montage channels: name them so when the count matches a TCP montage.
  if (channels == 22) return tcp_channel_labels(MontageKind::kTcp22);
  if (channels == 20) return tcp_channel_labels(MontageKind::kTcp20);
  return {};
}

}  // namespace

OpenedSource open_edf_source(const std::filesystem::path& path, const EegSourceSettings& settings) {
  OpenedSource opened;
  EegFileSource src(path, settings);
  opened.channel_labels = plan_labels(src.preprocessor().plan());
  opened.missing_channels = src.preprocessor().plan().missing;
  warn_missing(path.string(), src.preprocessor().plan());
  opened.duration_s = src.reader().header().duration_s();
  opened.start =
      parse_edf_start(src.reader().header().start_date, src.reader().header().start_time);
  for (const EdfAnnotation& a : src.reader().annotations()) {
    opened.annotations.push_back({a.onset_s, a.duration_s, a.text});
  }
  opened.node = std::make_unique<SourceAdapter<EegFileSource>>(std::move(src));
  return opened;
}

void check_source_readable(std::string_view spec) {
  if (spec == "sim" || spec == "-" || looks_like_zmq_endpoint(spec)) return;
  const std::filesystem::path p(spec);
  std::error_code ec;
  const auto status = std::filesystem::status(p, ec);
  const bool named_file = is_edf_path(spec) || is_text_path(spec) || spec.ends_with(".sdxf");
  // Anything else that does not exist is no input at all: open_frame_source says what is.
  if (std::filesystem::is_directory(status) || (named_file && !std::filesystem::exists(status))) {
    throw std::runtime_error(cannot_open(p));
  }
}

namespace {

OpenedSource open_source_node(std::string_view spec, const Config& config, bool realtime,
                              bool preprocess);

}  // namespace

// Errors name the input: a reader that did not (a bad rate from the command line, a montage that
// cannot be formed) gets it put in front.
OpenedSource open_frame_source(std::string_view spec, const Config& config, bool realtime,
                               bool preprocess) {
  check_source_readable(spec);  // a directory would otherwise read as "truncated: 0 bytes"
  try {
    return open_source_node(spec, config, realtime, preprocess);
  } catch (const std::exception& e) {
    const std::string what = e.what();
    const std::string name = spec == "-" ? "stdin" : std::string(spec);
    if (what.find(name) != std::string::npos) throw;
    throw std::runtime_error(fmt::format("{}: {}", name, what));
  }
}

namespace {

OpenedSource open_source_node(std::string_view spec, const Config& config, bool realtime,
                              bool preprocess) {
  OpenedSource opened;
  if (spec == "sim") {
    SyntheticEegSource sim(simulate_settings(config));
    opened.channel_labels = simulated_labels(sim.info().shape.channels);
    opened.node = std::make_unique<SourceAdapter<SyntheticEegSource>>(std::move(sim));
  } else if (looks_like_zmq_endpoint(spec)) {
    // A live stream arrives at its own pace; --realtime does not apply.
    auto receiver = std::make_unique<ZmqFrameReceiver>(
        zmq_endpoint(spec, ZmqRole::kConnect, config), zmq_options(config));
    if (preprocess) {
      ZmqAcquisitionSource src(std::move(receiver), eeg_source_settings(config));
      opened.channel_labels = plan_labels(src.preprocessor().plan());
      opened.node = std::make_unique<SourceAdapter<ZmqAcquisitionSource>>(std::move(src));
    } else {
      opened.node = std::move(receiver);
    }
    return opened;
  } else if (spec.ends_with(".sdxf")) {
    opened.node = std::make_unique<FrameFileReader>(std::string(spec));
  } else if (spec == "-" || is_text_path(spec)) {
    SampleStreamSource src(std::string(spec), config.get_double("eeg.input_rate_hz"),
                           eeg_source_settings(config));
    opened.channel_labels = plan_labels(src.preprocessor().plan());
    opened.missing_channels = src.preprocessor().plan().missing;
    warn_missing(spec, src.preprocessor().plan());
    opened.input_seconds = src.input_seconds();
    opened.node = std::make_unique<SourceAdapter<SampleStreamSource>>(std::move(src));
  } else if (is_edf_path(spec)) {
    opened = open_edf_source(std::string(spec), eeg_source_settings(config));
  } else {
    throw std::invalid_argument(fmt::format(
        "cannot read frames from '{}': expected sim, - (stdin), an .edf/.bdf recording, a "
        ".csv/.txt/.raw sample file, a .sdxf frame file or a ZeroMQ endpoint",
        spec));
  }
  if (realtime) opened.node = std::make_unique<PacedSource>(std::move(opened.node));
  return opened;
}

}  // namespace

std::unique_ptr<FrameSinkNode> open_frame_sink(std::string_view spec, const Config& config,
                                               const std::vector<std::string>& channel_labels,
                                               std::size_t channels, const OpenedSource* from) {
  if (spec == "null") return std::make_unique<SinkAdapter<DiscardSink>>(DiscardSink{});
  if (looks_like_zmq_endpoint(spec)) {
    auto sender = std::make_unique<ZmqFrameSender>(zmq_endpoint(spec, ZmqRole::kBind, config),
                                                   zmq_options(config));
    if (channel_labels.size() == channels) sender->set_channel_labels(channel_labels);
    return sender;
  }
  if (spec.ends_with(".sdxf")) {
    auto writer = std::make_unique<FrameFileWriter>(std::string(spec));
    if (channel_labels.size() == channels) writer->set_channel_labels(channel_labels);
    return writer;
  }
  if (lower_ascii(std::filesystem::path(spec).extension().string()) == ".npy") {
    return std::make_unique<SinkAdapter<NpyFrameSink>>(NpyFrameSink(
        std::string(spec), NpyLayout::kSamples, NpyDescription{"signal", channel_labels, {}, {}}));
  }
  if (is_edf_path(spec)) {
    std::vector<std::string> labels = channel_labels;
    for (std::size_t c = labels.size(); c < channels; ++c)
      labels.push_back(fmt::format("ch{}", c + 1));
    EdfSignalWriter writer(std::string(spec), std::move(labels),
                           fmt::format("streamdx {}", version_string()));
    if (from != nullptr) {
      writer.set_start(from->start.value_or(RecordingStart{}));
      writer.set_input_annotations(from->annotations);
    }
    return std::make_unique<SinkAdapter<EdfSignalWriter>>(std::move(writer));
  }
  throw std::invalid_argument(fmt::format(
      "cannot write frames to '{}': expected null, an .edf signal file, a .npy array, a .sdxf "
      "frame file or a ZeroMQ endpoint",
      spec));
}

ZmqEndpoint zmq_endpoint(std::string_view spec, ZmqRole default_role, const Config& config) {
  const std::string key = config.get_string("zmq.curve_key");
  ZmqEndpoint ep = ZmqEndpoint::parse(spec, default_role,
                                      config.get_bool("zmq.allow_public_bind") || !key.empty());
  if (!key.empty()) ep.curve_keys = read_curve_keys(key, true);
  if (const std::string server = config.get_string("zmq.curve_server_key"); !server.empty()) {
    ep.curve_server_key = read_curve_keys(server, false).public_key;
  }
  return ep;
}

PipelineOptions pipeline_options(const Config& config, std::size_t nodes) {
  PipelineOptions o;
  o.ring_capacity = checked_range<std::size_t>(config, "pipeline.ring_capacity", 1, 1 << 20);
  const std::string policy = config.get_string("pipeline.ring_policy");
  if (policy == "back-pressure") {
    o.ring_policy = FullPolicy::kBackPressure;
  } else if (policy == "drop-oldest") {
    o.ring_policy = FullPolicy::kDropOldest;
  } else {
    throw std::invalid_argument(
        fmt::format("pipeline.ring_policy = '{}': expected back-pressure or drop-oldest", policy));
  }
  const std::string threads = config.get_string("pipeline.threads");
  if (threads == "single") {
    o.thread_of_node.assign(nodes, 0);
  } else if (threads != "per-stage") {
    // An explicit grouping: each node's thread, source first ("0,0,1,1,1").
    const auto bad = [&] {
      return std::invalid_argument(fmt::format(
          "pipeline.threads = '{}': expected per-stage, single, or one thread number per stage "
          "({} here, source first, non-decreasing from 0: e.g. 0,0,1)",
          threads, nodes));
    };
    std::size_t at = 0;
    while (at <= threads.size()) {
      const std::size_t comma = std::min(threads.find(',', at), threads.size());
      const std::string item = threads.substr(at, comma - at);
      if (item.empty() || item.find_first_not_of("0123456789") != std::string::npos) throw bad();
      o.thread_of_node.push_back(std::stoul(item));
      at = comma + 1;
    }
    if (!thread_layout_problem(o.thread_of_node, nodes).empty()) throw bad();
  }
  return o;
}

}  // namespace streamdx
