#include "io/FrameFile.hpp"

#include <fmt/format.h>
#include <stdexcept>
#include <variant>

#include "core/FileErrors.hpp"
#include "io/WireFormat.hpp"

namespace streamdx {

FrameFileReader::FrameFileReader(std::filesystem::path path) : path_(std::move(path)) {
  file_ = std::fopen(path_.c_str(), "rb");
  if (file_ == nullptr) {
    throw std::runtime_error(cannot_open(path_, "frame file"));
  }
}

FrameFileReader::~FrameFileReader() {
  if (file_ != nullptr) std::fclose(file_);
}

FramePtr FrameFileReader::next(const std::stop_token& stop) {
  if (stop.stop_requested()) return nullptr;
  FramePtr frame = read_record();
  if (frame) {
    // Stamps recorded in another run say nothing about this one's latency.
    frame->stamp_count = 0;
    frame->stamps_overflowed = false;
    frame->stamp(name());
  }
  return frame;
}

FramePtr FrameFileReader::read_record() {
  if (ended_) return nullptr;
  // Built only for an error: formatting it for every record was an allocation per frame.
  const auto where = [&] { return fmt::format("{}: after {} frames", path_.string(), frames_); };

  buffer_.resize(wire::kPrefixBytes);
  const std::size_t got = std::fread(buffer_.data(), 1, buffer_.size(), file_);
  if (got == 0) throw std::runtime_error(where() + ": truncated (no end-of-stream record)");
  std::size_t total = 0;
  try {
    buffer_.resize(got);
    total = wire::message_size(buffer_);
  } catch (const wire::WireError& e) {
    throw std::runtime_error(fmt::format("{}: {}", where(), e.what()));
  }
  buffer_.resize(total);
  const std::size_t rest = total - wire::kPrefixBytes;
  if (std::fread(buffer_.data() + wire::kPrefixBytes, 1, rest, file_) != rest) {
    throw std::runtime_error(where() + ": truncated inside a record");
  }

  wire::Message msg;
  try {
    msg = wire::decode(buffer_);
  } catch (const wire::WireError& e) {
    throw std::runtime_error(fmt::format("{}: {}", where(), e.what()));
  }
  if (auto* frame = std::get_if<Frame>(&msg)) {
    ++frames_;
    require_finite_samples(*frame,
                           stream_header_ ? std::span<const std::string>(stream_header_->labels)
                                          : std::span<const std::string>(),
                           where());
    return std::make_unique<Frame>(std::move(*frame));
  }
  if (auto* header = std::get_if<wire::StreamHeader>(&msg)) {
    stream_header_ = std::move(*header);  // describes the frames that follow
    return read_record();
  }
  ended_ = true;
  if (const auto* eos = std::get_if<wire::EndOfStream>(&msg)) {
    if (eos->frames_sent != frames_) {
      throw std::runtime_error(
          fmt::format("{}: end-of-stream record counts {} frames", where(), eos->frames_sent));
    }
  } else if (const auto* err = std::get_if<wire::UpstreamError>(&msg)) {
    recorded_error_ = err->message;
  } else {
    throw std::runtime_error(where() + ": an EPR acquisition record in an EEG frame file");
  }
  if (std::fgetc(file_) != EOF) {
    throw std::runtime_error(where() + ": bytes after the end-of-stream record");
  }
  return nullptr;
}

std::vector<Frame> FrameFileReader::read_all(const std::filesystem::path& path) {
  FrameFileReader reader(path);
  std::vector<Frame> frames;
  while (FramePtr f = reader.read_record()) frames.push_back(std::move(*f));
  return frames;
}

}  // namespace streamdx
