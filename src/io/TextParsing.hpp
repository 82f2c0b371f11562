#pragma once
// Small helpers the text-format readers share (csv_bi, HYP): whole-file reads and strict numbers,
// with errors that name the file and line.
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace streamdx {

// Throws std::runtime_error "<file>: <what>": the one-line form every reader's errors take.
[[noreturn]] void throw_file_error(const std::filesystem::path& file, std::string_view what);

// The whole file; throws std::runtime_error "<path>: cannot open".
std::string read_text_file(const std::filesystem::path& path);

// `s` without leading and trailing spaces, tabs and CRs.
std::string_view trim(std::string_view s);

// The fields of `line` between `separator`s, each trimmed (views into `line`).
std::vector<std::string_view> split_fields(std::string_view line, char separator);

// The non-blank lines of `text` with their 1-based numbers, CR-LF or LF ended, CRs removed
// (views into `text`).
std::vector<std::pair<std::size_t, std::string_view>> numbered_lines(std::string_view text);

// `s` in ASCII lower case (file extensions, keys compared without case).
std::string lower_ascii(std::string_view s);

// The whole of `s` as a number; throws std::runtime_error "<path>:<line>: '<s>' is not a number".
double parse_number(std::string_view s, std::string_view path, std::size_t line);

// "A.B.C" (or "A:B:C": the separator is one of `separators`, the same both times) as three
// non-negative integers of at most `digits` digits each, after trimming; nullopt otherwise.
// Dates and clock times in headers: "13.03.59", "22.21.25", "19:58:36".
std::optional<std::array<int, 3>> three_fields(std::string_view s, std::string_view separators,
                                               std::size_t digits = 2);

}  // namespace streamdx

namespace streamdx {

// "KEY value" lines as Bruker writes them (BES3T .DSC, ESP .par): the key is the first word, the
// value the rest of the line, trimmed, with enclosing single quotes removed. Lines starting with
// '*' are comments, '#' opens a section and '.' a device block, none of which carry keys; a value
// ending in '\' continues on the next line. CR, LF and CRLF all end lines. A repeated key keeps
// its first value.
std::vector<std::pair<std::string, std::string>> parse_parameter_lines(std::string_view text);

}  // namespace streamdx
