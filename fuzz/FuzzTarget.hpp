#pragma once
// What every fuzz target provides: libFuzzer's entry point, and seed inputs (valid messages)
// for the replay driver, which mutates them deterministically when libFuzzer is not available.
#include <cstddef>
#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

std::vector<std::vector<std::uint8_t>> fuzz_seeds();
