#include "io/TextParsing.hpp"
#include "core/FileErrors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <unordered_set>

namespace streamdx {

void throw_file_error(const std::filesystem::path& file, std::string_view what) {
  throw std::runtime_error(fmt::format("{}: {}", file.string(), what));
}

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error(cannot_open(path));
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

std::vector<std::string_view> split_fields(std::string_view line, char separator) {
  std::vector<std::string_view> out;
  std::size_t at = 0;
  for (;;) {
    const std::size_t end = line.find(separator, at);
    out.push_back(trim(line.substr(at, end == std::string_view::npos ? end : end - at)));
    if (end == std::string_view::npos) return out;
    at = end + 1;
  }
}

std::vector<std::pair<std::size_t, std::string_view>> numbered_lines(std::string_view text) {
  std::vector<std::pair<std::size_t, std::string_view>> out;
  std::size_t at = 0;
  std::size_t n = 0;
  while (at < text.size()) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    ++n;
    std::string_view line = text.substr(at, end - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!trim(line).empty()) out.emplace_back(n, line);
    at = end + 1;
  }
  return out;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

double parse_number(std::string_view s, std::string_view path, std::size_t line) {
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    throw std::runtime_error(fmt::format("{}:{}: '{}' is not a number", path, line, s));
  }
  return v;
}

}  // namespace streamdx

namespace streamdx {

std::vector<std::pair<std::string, std::string>> parse_parameter_lines(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::unordered_set<std::string> seen;
  std::size_t pos = 0;
  auto next_line = [&]() -> std::optional<std::string_view> {
    if (pos >= text.size()) return std::nullopt;
    const auto end = text.find_first_of("\r\n", pos);
    const auto line =
        text.substr(pos, end == std::string_view::npos ? text.size() - pos : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    if (end != std::string_view::npos && text[end] == '\r' && pos < text.size() &&
        text[pos] == '\n') {
      ++pos;
    }
    return line;
  };
  while (const auto raw = next_line()) {
    const std::string_view line = trim(*raw);
    if (line.empty() || line.front() == '*' || line.front() == '#' || line.front() == '.') continue;
    const auto split = line.find_first_of(" \t");
    std::string key(line.substr(0, split));
    std::string value(split == std::string_view::npos ? std::string_view{}
                                                      : trim(line.substr(split)));
    while (!value.empty() && value.back() == '\\') {
      value.pop_back();
      const auto more = next_line();
      if (!more) break;
      value += '\n';
      value += trim(*more);
    }
    if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'') {
      value = value.substr(1, value.size() - 2);
    }
    if (seen.insert(key).second) out.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

std::optional<std::array<int, 3>> three_fields(std::string_view s, std::string_view separators,
                                               std::size_t digits) {
  s = trim(s);
  std::array<int, 3> out{};
  char separator = 0;
  for (std::size_t k = 0; k < 3; ++k) {
    std::size_t n = 0;
    int value = 0;
    while (n < s.size() && s[n] >= '0' && s[n] <= '9') {
      // More digits than the field has is no time; stop before the value could overflow.
      if (n == digits) return std::nullopt;
      value = value * 10 + (s[n++] - '0');
    }
    if (n == 0) return std::nullopt;
    out[k] = value;
    s.remove_prefix(n);
    if (k == 2) break;
    if (s.empty() || separators.find(s[0]) == std::string_view::npos) return std::nullopt;
    if (separator != 0 && s[0] != separator) return std::nullopt;
    separator = s[0];
    s.remove_prefix(1);
  }
  if (!s.empty()) return std::nullopt;
  return out;
}

}  // namespace streamdx
