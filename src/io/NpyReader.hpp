#pragma once
// read_npy: a NumPy .npy array of float64 or float32 (either byte order, C order), as float64,
// with its shape. Used to check readers against NumPy's copies and to load gradient tables.
#include <cstddef>
#include <filesystem>
#include <vector>

namespace streamdx {

struct NpyArray {
  std::vector<std::size_t> shape;
  std::vector<double> values;  // C order
  std::size_t item_bytes = 8;  // as stored: 4 (float32) or 8 (float64)
};

// Throws std::runtime_error naming the file and what is wrong.
NpyArray read_npy(const std::filesystem::path& path);

}  // namespace streamdx
