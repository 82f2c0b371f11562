#pragma once
// What every fuzz target provides: libFuzzer's entry point, and seed inputs (valid messages)
// for the replay driver, which mutates them deterministically when libFuzzer is not available.
#include <cstddef>
#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

std::vector<std::vector<std::uint8_t>> fuzz_seeds();

// Inputs made of two files: the bytes before the first NUL, and those after it.
#include <algorithm>
#include <span>
#include <string_view>
#include <utility>

inline std::pair<std::string_view, std::span<const std::uint8_t>> split_at_nul(
    const std::uint8_t* data, std::size_t size) {
  const auto* end = data + size;
  const auto* split = std::find(data, end, std::uint8_t{0});
  return {
      std::string_view(reinterpret_cast<const char*>(data), static_cast<std::size_t>(split - data)),
      std::span<const std::uint8_t>(split == end ? end : split + 1, end)};
}

// A seed in that form.
inline std::vector<std::uint8_t> two_part_seed(std::string_view text,
                                               const std::vector<std::uint8_t>& bytes) {
  std::vector<std::uint8_t> s(text.begin(), text.end());
  s.push_back(0);
  s.insert(s.end(), bytes.begin(), bytes.end());
  return s;
}

// A seed whose first byte chooses something (a reader, a piece size) and whose rest is text.
inline std::vector<std::uint8_t> byte_then_text(std::uint8_t first, std::string_view text) {
  std::vector<std::uint8_t> s(text.size() + 1, first);
  std::copy(text.begin(), text.end(), s.begin() + 1);
  return s;
}
