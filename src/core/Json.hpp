#pragma once
// JSON, for every file streamdx writes and reads: nlohmann::json with its keys kept in the order
// they were set, numbers in their shortest round-trip form, NaN and infinity as null, and
// invalid UTF-8 (a Latin-1 EDF header, say) replaced instead of thrown on.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace streamdx::json {

using Json = nlohmann::ordered_json;

// Indented by two spaces, with a final newline: files and command output.
std::string text(const Json& value);

// On one line, without a newline: values embedded in other text.
std::string line(const Json& value);

// Throws std::runtime_error naming `origin` (a file, a peer) and where the text is broken.
Json parse(std::string_view text, std::string_view origin);
Json read_file(const std::filesystem::path& path);

// `v` rounded to `decimals` places, for figures whose precision is part of their meaning (the
// model card's accuracies, milliseconds to the microsecond); NaN and infinity pass through.
double rounded(double v, int decimals);

}  // namespace streamdx::json
