#pragma once
// AtomicFile: an output file that is either complete or absent. Bytes go to "<path>.part";
// commit() flushes, fsyncs and renames it over <path>. Destroyed without commit(), it removes the
// part file, so a killed or failed run never leaves a half-written output that looks finished.
// Once a write has failed (a full disk), commit() refuses: the bytes in the part file are not the
// output.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace streamdx {

class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::span<const std::uint8_t> bytes);
  void write(std::string_view text);
  // Replaces bytes already written at `offset` (a header completed at the end); later writes
  // still append.
  void overwrite(std::uint64_t offset, std::span<const std::uint8_t> bytes);
  // Makes everything written so far durable in the part file without publishing it.
  void flush();
  void commit();

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
  std::filesystem::path part_;
  std::FILE* file_ = nullptr;
  std::uint64_t bytes_ = 0;
  bool failed_ = false;  // a write failed: commit() refuses to publish
};

// Bytes free to an unprivileged writer on the file system that holds `path` (0 if unknown), for
// error messages about a full disk.
std::uintmax_t free_bytes(const std::filesystem::path& path);

// The whole of `path` at once, through an AtomicFile.
void write_file_atomically(const std::filesystem::path& path, std::string_view text);
void write_file_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes);

}  // namespace streamdx
