#pragma once
// NpyWriter: streams a little-endian float32 array into a NumPy .npy file (format 1.0), row by
// row, without knowing in advance how many rows there will be. The header is written with room
// to spare and rewritten with the final leading dimension on commit(). Bytes go through an
// AtomicFile, so a reader never sees a file whose header disagrees with its data.
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "io/AtomicFile.hpp"

namespace streamdx {

class NpyWriter {
 public:
  // Rows have shape `row_shape` (empty: scalar rows); the array is (rows, *row_shape).
  NpyWriter(std::filesystem::path path, std::vector<std::size_t> row_shape);

  // Appends whole rows: values.size() must be a multiple of the row size.
  void append(std::span<const float> values);
  // Writes the final shape and publishes the file.
  void commit();

  [[nodiscard]] std::uint64_t rows() const noexcept { return rows_; }
  [[nodiscard]] std::size_t row_size() const noexcept { return row_size_; }
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return file_.path(); }

  // The 128-byte header for an array of `rows` rows (exposed for tests).
  [[nodiscard]] static std::vector<std::uint8_t> header(std::uint64_t rows,
                                                        const std::vector<std::size_t>& row_shape);

 private:
  AtomicFile file_;
  std::vector<std::size_t> row_shape_;
  std::size_t row_size_ = 1;
  std::uint64_t rows_ = 0;
};

}  // namespace streamdx
