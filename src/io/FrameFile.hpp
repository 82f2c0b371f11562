#pragma once
// Frame files (.sdxf): a stream saved exactly as it crossed the wire, i.e. wire-format messages
// back to back, ending with an end-of-stream record (or the upstream error that ended it). They
// let any stage's output be captured, replayed and compared byte for byte.
//
// The writer is atomic (AtomicFile): the file appears complete on finish(), never half-written.
// The reader checks everything: framing, versions, the final record and its frame count.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/Stage.hpp"
#include "io/AtomicFile.hpp"
#include "io/WireFormat.hpp"
#include "io/WireStreamSink.hpp"

namespace streamdx {

class FrameFileWriter final : public WireStreamSink {
 public:
  explicit FrameFileWriter(std::filesystem::path path) : file_(std::move(path)) {}

  [[nodiscard]] std::string_view name() const override { return "file-write"; }

 protected:
  void deliver(std::span<const std::uint8_t> message) override { file_.write(message); }
  void close_transport() override { file_.commit(); }

 private:
  AtomicFile file_;
};

class FrameFileReader final : public FrameSourceNode {
 public:
  explicit FrameFileReader(std::filesystem::path path);
  ~FrameFileReader() override;
  FrameFileReader(const FrameFileReader&) = delete;
  FrameFileReader& operator=(const FrameFileReader&) = delete;

  [[nodiscard]] std::string_view name() const override { return "file-read"; }
  FramePtr next(const std::stop_token& stop) override;
  [[nodiscard]] bool never_waits() const override { return true; }

  // The stream ended with an upstream error record; set once next() returned nullptr.
  [[nodiscard]] const std::optional<std::string>& recorded_error() const { return recorded_error_; }

  // The recorded stream header (rate, channel labels), once read past.
  [[nodiscard]] const std::optional<wire::StreamHeader>& stream_header() const {
    return stream_header_;
  }

  // Reads a whole file, stamps as recorded; throws on any defect. For tests and tools.
  static std::vector<Frame> read_all(const std::filesystem::path& path);

 private:
  FramePtr read_record();

  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
  std::vector<std::uint8_t> buffer_;
  std::uint64_t frames_ = 0;
  bool ended_ = false;
  std::optional<std::string> recorded_error_;
  std::optional<wire::StreamHeader> stream_header_;
};

}  // namespace streamdx
