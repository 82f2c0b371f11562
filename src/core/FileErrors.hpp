#pragma once
// Why a file could not be opened, said so a user can act on it: "x.edf: cannot open: no such
// file", "... it is a directory", "... Permission denied". Call it right after the failed open,
// while errno still holds the reason.
#include <fmt/format.h>

#include <cerrno>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

namespace streamdx {

inline std::string cannot_open(const std::filesystem::path& path, std::string_view what = "") {
  const int err = errno;
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  std::string why;
  if (!std::filesystem::exists(status)) {
    why = "no such file";
  } else if (std::filesystem::is_directory(status)) {
    why = "it is a directory";
  } else {
    why = std::system_category().message(err != 0 ? err : EIO);
  }
  return fmt::format("{}: cannot open{}{}: {}", path.string(), what.empty() ? "" : " ", what, why);
}

// Throws cannot_open(path) unless `path` is a file that exists: a directory opens as a stream
// on Linux and then reads as empty, which would be reported as a truncated file.
inline void require_file(const std::filesystem::path& path, std::string_view what = "") {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status) || std::filesystem::is_directory(status)) {
    throw std::runtime_error(cannot_open(path, what));
  }
}

}  // namespace streamdx
