#pragma once
// Raw float32 files (little-endian, no header): EPR images and ground truths, described by the
// JSON written beside them.
#include <filesystem>
#include <span>
#include <vector>

namespace streamdx {

// Written atomically (AtomicFile.hpp).
void write_f32_file(const std::filesystem::path& path, std::span<const float> values);

// Fails naming the file when it cannot be read or is not whole float32 values.
std::vector<float> read_f32_file(const std::filesystem::path& path);

}  // namespace streamdx
