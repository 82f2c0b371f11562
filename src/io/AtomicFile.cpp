#include "io/AtomicFile.hpp"

#include <fmt/format.h>
#include <unistd.h>
#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace streamdx {

namespace {
std::runtime_error io_error(const std::filesystem::path& p, std::string_view what) {
  // std::system_category().message is thread-safe; strerror is not.
  return std::runtime_error(
      fmt::format("{}: {}: {}", p.string(), what, std::system_category().message(errno)));
}
}  // namespace

std::uintmax_t free_bytes(const std::filesystem::path& path) {
  std::error_code ec;
  const std::filesystem::space_info s =
      std::filesystem::space(path.has_parent_path() ? path.parent_path() : ".", ec);
  return ec ? 0 : s.available;
}

AtomicFile::AtomicFile(std::filesystem::path path)
    : path_(std::move(path)), part_(path_.string() + ".part") {
  file_ = std::fopen(part_.c_str(), "wb");
  if (file_ == nullptr) throw io_error(part_, "cannot create");
}

AtomicFile::~AtomicFile() {
  if (file_ != nullptr) {
    std::fclose(file_);
    std::error_code ignored;
    std::filesystem::remove(part_, ignored);
  }
}

void AtomicFile::write(std::span<const std::uint8_t> bytes) {
  if (file_ == nullptr) throw std::logic_error("AtomicFile written after commit");
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    failed_ = true;
    throw io_error(part_, "write failed");
  }
  bytes_ += bytes.size();
}

void AtomicFile::write(std::string_view text) {
  write({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

void AtomicFile::overwrite(std::uint64_t offset, std::span<const std::uint8_t> bytes) {
  if (file_ == nullptr) throw std::logic_error("AtomicFile written after commit");
  if (offset + bytes.size() > bytes_) throw std::logic_error("AtomicFile overwrite past the end");
  if (std::fseek(file_, static_cast<long>(offset), SEEK_SET) != 0 ||
      std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size() ||
      std::fseek(file_, 0, SEEK_END) != 0) {
    failed_ = true;
    throw io_error(part_, "rewrite failed");
  }
}

void AtomicFile::flush() {
  if (file_ != nullptr && std::fflush(file_) != 0) {
    failed_ = true;
    throw io_error(part_, "flush failed");
  }
}

void AtomicFile::commit() {
  if (file_ == nullptr) throw std::logic_error("AtomicFile committed twice");
  // Bytes were lost (a full disk): what is in the part file is not the output, and must never
  // be published under its name. The destructor removes the part file.
  if (failed_) {
    throw std::runtime_error(
        fmt::format("{}: not written: an earlier write failed ({} bytes free on its file system)",
                    path_.string(), free_bytes(part_)));
  }
  flush();
  if (::fsync(fileno(file_)) != 0) throw io_error(part_, "fsync failed");
  std::FILE* f = file_;
  file_ = nullptr;
  if (std::fclose(f) != 0) throw io_error(part_, "close failed");
  std::error_code ec;
  std::filesystem::rename(part_, path_, ec);
  if (ec) {
    throw std::runtime_error(
        fmt::format("{}: cannot rename into place: {}", path_.string(), ec.message()));
  }
}

void write_file_atomically(const std::filesystem::path& path, std::string_view text) {
  AtomicFile file(path);
  file.write(text);
  file.commit();
}

void write_file_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
  AtomicFile file(path);
  file.write(bytes);
  file.commit();
}

}  // namespace streamdx
