#include "io/NpyWriter.hpp"

#include <fmt/format.h>

#include <bit>
#include <stdexcept>
#include <string>

namespace streamdx {

namespace {
constexpr std::size_t kHeaderBytes = 128;  // magic, version, length, dict: a multiple of 64
static_assert(std::endian::native == std::endian::little,
              "npy output assumes a little-endian host");
}  // namespace

std::vector<std::uint8_t> NpyWriter::header(std::uint64_t rows,
                                            const std::vector<std::size_t>& row_shape) {
  std::string shape = fmt::format("{}", rows);
  for (const std::size_t d : row_shape) shape += fmt::format(", {}", d);
  if (row_shape.empty()) shape += ",";
  std::string dict =
      fmt::format("{{'descr': '<f4', 'fortran_order': False, 'shape': ({}), }}", shape);
  constexpr std::size_t kPrefix = 10;  // "\x93NUMPY", major, minor, 2-byte length
  if (kPrefix + dict.size() + 1 > kHeaderBytes) {
    throw std::length_error("npy header too long for its shape");
  }
  dict.append(kHeaderBytes - kPrefix - dict.size() - 1, ' ');
  dict += '\n';
  std::vector<std::uint8_t> out = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  const auto len = static_cast<std::uint16_t>(dict.size());
  out.push_back(static_cast<std::uint8_t>(len & 0xFFU));
  out.push_back(static_cast<std::uint8_t>(len >> 8U));
  out.insert(out.end(), dict.begin(), dict.end());
  return out;
}

NpyWriter::NpyWriter(std::filesystem::path path, std::vector<std::size_t> row_shape)
    : file_(std::move(path)), row_shape_(std::move(row_shape)) {
  for (const std::size_t d : row_shape_) row_size_ *= d;
  if (row_size_ == 0) throw std::invalid_argument("npy rows must not be empty");
  file_.write(header(0, row_shape_));  // placeholder; rewritten with the row count on commit
}

void NpyWriter::append(std::span<const float> values) {
  if (values.size() % row_size_ != 0) {
    throw std::invalid_argument(fmt::format("{}: {} values are not whole rows of {}",
                                            file_.path().string(), values.size(), row_size_));
  }
  file_.write({reinterpret_cast<const std::uint8_t*>(values.data()), values.size_bytes()});
  rows_ += values.size() / row_size_;
}

void NpyWriter::commit() {
  file_.overwrite(0, header(rows_, row_shape_));
  file_.commit();
}

}  // namespace streamdx
