#include "io/RawFloatFile.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

#include "io/AtomicFile.hpp"
#include "io/TextParsing.hpp"

namespace streamdx {

void write_f32_file(const std::filesystem::path& path, std::span<const float> values) {
  write_file_atomically(
      path, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(values.data()),
                                          values.size() * sizeof(float)));
}

std::vector<float> read_f32_file(const std::filesystem::path& path) {
  const std::string bytes = read_text_file(path);
  if (bytes.size() % sizeof(float) != 0) {
    throw std::runtime_error(
        fmt::format("{}: {} bytes is not whole float32 values", path.string(), bytes.size()));
  }
  std::vector<float> out(bytes.size() / sizeof(float));
  std::memcpy(out.data(), bytes.data(), bytes.size());
  return out;
}

}  // namespace streamdx
