#include "io/NpyFrameSink.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "core/Json.hpp"
#include "io/AtomicFile.hpp"

namespace streamdx {

namespace {

std::string_view end_name(EndReason r) {
  switch (r) {
    case EndReason::kEndOfStream: return "end_of_stream";
    case EndReason::kStopRequested: return "stopped";
    case EndReason::kUpstreamError: return "error";
  }
  return "error";
}

}  // namespace

NpyFrameSink::NpyFrameSink(std::filesystem::path path, NpyLayout layout, NpyDescription description)
    : path_(std::move(path)), layout_(layout), description_(std::move(description)) {
  if (path_.extension() != ".npy") {
    throw std::invalid_argument(
        fmt::format("{}: a NumPy array file must end in .npy", path_.string()));
  }
}

NpyFrameSink::NpyFrameSink(NpyFrameSink&&) noexcept = default;
NpyFrameSink::~NpyFrameSink() = default;

std::filesystem::path NpyFrameSink::sidecar_path(const std::filesystem::path& npy_path) {
  std::filesystem::path p = npy_path;
  return p.replace_extension(".json");
}

void NpyFrameSink::open(const Frame& first) {
  shape_ = first.shape;
  frame_rate_hz_ = first.sample_rate_hz;
  std::vector<std::size_t> row_shape = {shape_.channels};
  if (layout_ == NpyLayout::kFrames) row_shape.push_back(shape_.samples_per_channel);
  writer_ = std::make_unique<NpyWriter>(path_, std::move(row_shape));
  for (std::size_t c = description_.channel_labels.size(); c < shape_.channels; ++c) {
    description_.channel_labels.push_back(fmt::format("ch{}", c + 1));
  }
  description_.channel_labels.resize(shape_.channels);
}

void NpyFrameSink::consume(const Frame& frame) {
  if (!writer_) open(frame);
  if (frame.shape != shape_) {
    throw std::runtime_error(fmt::format("{}: frame {} has shape {}x{}, the stream {}x{}",
                                         path_.string(), frame.sequence, frame.shape.channels,
                                         frame.shape.samples_per_channel, shape_.channels,
                                         shape_.samples_per_channel));
  }
  if ((frame.flags & kFrameDiscontinuity) != 0U) gaps_.push_back(first_sample_ns_.size());
  first_sample_ns_.push_back(frame.first_sample_ns);
  sequences_.push_back(frame.sequence);
  if (layout_ == NpyLayout::kFrames) {
    writer_->append(frame.samples);
    return;
  }
  // Planar frame -> rows of one sample instant across channels.
  const std::size_t nc = shape_.channels;
  const std::size_t ns = shape_.samples_per_channel;
  scratch_.resize(nc * ns);
  for (std::size_t c = 0; c < nc; ++c) {
    for (std::size_t i = 0; i < ns; ++i) scratch_[i * nc + c] = frame.samples[c * ns + i];
  }
  writer_->append(scratch_);
}

std::string NpyFrameSink::sidecar(EndReason reason) const {
  json::Json j = {
      {"format", "streamdx-npy 1"},
      {"kind", description_.kind},
      {"array", path_.filename().string()},
      {"axes", layout_ == NpyLayout::kSamples ? json::Json{"sample", "channel"}
                                              : json::Json{"frame", "channel", "value"}},
      {"rows", writer_ ? writer_->rows() : 0},
      {"sample_rate_hz", frame_rate_hz_},
      {"channels", description_.channel_labels}};
  if (layout_ == NpyLayout::kFrames) j["values"] = description_.value_names;
  for (const auto& [name, value] : description_.extra) j[name] = value;
  json::Json times = json::Json::array();
  // Exact nanoseconds divided once: 0.3, not 0.30000000000000004.
  for (const std::int64_t ns : first_sample_ns_) times.push_back(static_cast<double>(ns) / 1e9);
  j["frame_times_s"] = std::move(times);
  j["frame_sequences"] = sequences_;
  j["gap_before_frames"] = gaps_;
  j["end"] = end_name(reason);
  return json::text(j);
}

void NpyFrameSink::finish(EndReason reason) {
  if (!writer_) return;  // no frame arrived: there is nothing to publish
  // The array first: a sidecar never describes an array that is not there.
  writer_->commit();
  AtomicFile json_file(sidecar_path(path_));
  json_file.write(sidecar(reason));
  json_file.commit();
}

}  // namespace streamdx
