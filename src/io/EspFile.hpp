#pragma once
// Bruker ESP and WinEPR spectra: a text parameter file (.par) and a binary data file (.spc).
// WinEPR writes little-endian float32 and marks its .par with a DOS key; ESP writes big-endian
// int32. The point count comes from ANZ or RES (SSX x SSY for 2D), else from the data file's
// size; the field axis from GST/GSI, else HCF/HSW.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

#include "io/EprDataset.hpp"

namespace streamdx {

// Reads `par` and the .spc beside it. Throws std::runtime_error naming the file and what is wrong.
EprDataset read_esp(const std::filesystem::path& par);

// The same from memory: the .par text and the whole .spc; `par` names them in errors.
EprDataset parse_esp(std::string_view par_text, std::span<const std::uint8_t> spc,
                     const std::filesystem::path& par);

}  // namespace streamdx
