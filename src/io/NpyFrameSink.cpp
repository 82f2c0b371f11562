#include "io/NpyFrameSink.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "core/Json.hpp"
#include "io/AtomicFile.hpp"

namespace streamdx {

namespace {

std::string string_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + json::quote(items[i]);
  return out + "]";
}

template <class T, class Format>
std::string number_array(const std::vector<T>& items, Format&& format) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out += ", ";
    out += format(items[i]);
  }
  return out + "]";
}

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
  std::string axes = layout_ == NpyLayout::kSamples ? R"(["sample", "channel"])"
                                                    : R"(["frame", "channel", "value"])";
  std::string s = "{\n";
  s += fmt::format("  \"format\": \"streamdx-npy 1\",\n  \"kind\": {},\n",
                   json::quote(description_.kind));
  s += fmt::format("  \"array\": {},\n", json::quote(path_.filename().string()));
  s += fmt::format("  \"axes\": {},\n", axes);
  s += fmt::format("  \"rows\": {},\n", writer_ ? writer_->rows() : 0);
  s += fmt::format("  \"sample_rate_hz\": {},\n", json::number(frame_rate_hz_));
  s += fmt::format("  \"channels\": {},\n", string_array(description_.channel_labels));
  if (layout_ == NpyLayout::kFrames) {
    s += fmt::format("  \"values\": {},\n", string_array(description_.value_names));
  }
  for (const auto& [name, value] : description_.extra_json) {
    s += fmt::format("  {}: {},\n", json::quote(name), value);
  }
  s +=
      fmt::format("  \"frame_times_s\": {},\n", number_array(first_sample_ns_, [](std::int64_t ns) {
                    return json::number(static_cast<double>(ns) /
                                        1e9);  // exact ns: 0.3, not 0.30000000000000004
                  }));
  s += fmt::format("  \"frame_sequences\": {},\n",
                   number_array(sequences_, [](std::uint64_t v) { return fmt::format("{}", v); }));
  s += fmt::format("  \"gap_before_frames\": {},\n",
                   number_array(gaps_, [](std::uint64_t v) { return fmt::format("{}", v); }));
  s += fmt::format("  \"end\": \"{}\"\n}}\n", end_name(reason));
  return s;
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
