#pragma once
// Bruker BES3T (Xepr, EMX): a text descriptor (.DSC) and a binary data file (.DTA), plus one
// binary file per non-uniform axis (.XGF/.YGF/.ZGF).
//
// Reading supports every value type (C int8, S int16, I int32, F float32, D float64), both byte
// orders (BSEQ BIG/LIT), REAL and CPLX data in one or more channels (IKKF, IRFMT: per point the
// channels follow each other, each as real or real/imaginary), and IDX/IGD axes. Sizes come from
// the header but are checked against the files before anything is allocated, so a corrupt header
// gives an error naming the key instead of a huge allocation.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

#include "io/EprDataset.hpp"

namespace streamdx {

// Reads `dsc` and the data beside it (same stem, .DTA or .dta). Throws std::runtime_error with a
// one-line message naming the file and the key or size at fault.
EprDataset read_bes3t(const std::filesystem::path& dsc);

// The same from memory: the descriptor's text and the whole .DTA. `name` is used in errors and
// to find .XGF/.YGF axis files beside it (evenly spaced axes are used when there are none).
EprDataset parse_bes3t(std::string_view dsc_text, std::span<const std::uint8_t> dta,
                       const std::filesystem::path& name);

// Writes one REAL float64 big-endian channel as `dsc` and its .DTA (and .YGF when the y axis is
// not evenly spaced). Extra descriptor keys come from data.parameters. Both files are written
// atomically.
void write_bes3t(const std::filesystem::path& dsc, const EprDataset& data);

}  // namespace streamdx
