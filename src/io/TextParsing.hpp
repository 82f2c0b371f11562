#pragma once
// Small helpers the text-format readers share (csv_bi, HYP): whole-file reads and strict numbers,
// with errors that name the file and line.
#include <filesystem>
#include <string>
#include <string_view>

namespace streamdx {

// The whole file; throws std::runtime_error "<path>: cannot open".
std::string read_text_file(const std::filesystem::path& path);

// The whole of `s` as a number; throws std::runtime_error "<path>:<line>: '<s>' is not a number".
double parse_number(std::string_view s, std::string_view path, std::size_t line);

}  // namespace streamdx
