// The folder-wide seizure lists of CHB-MIT (chbNN-summary.txt) and Siena
// (Seizures-list-PNxx.txt): one block per recording or per seizure, in free text.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <stdexcept>

#include "io/SeizureAnnotations.hpp"
#include "io/TextParsing.hpp"

namespace streamdx {

namespace {

// The value after "key:" when `line` (lower-cased) starts with `key`; "" otherwise.
std::optional<std::string_view> value_after(std::string_view line, std::string_view key) {
  if (!lower_ascii(line.substr(0, key.size())).starts_with(key)) return std::nullopt;
  const std::size_t colon = line.find(':', key.size());
  if (colon == std::string_view::npos) return std::nullopt;
  return trim(line.substr(colon + 1));
}

// "19.58.36" or "19:58:36" as seconds since midnight.
double clock_seconds(std::string_view s, const std::filesystem::path& file, std::size_t line) {
  const auto t = three_fields(s, ".:");
  if (!t || (*t)[0] > 24 || (*t)[1] > 59 || (*t)[2] > 59) {
    throw_file_error(file, fmt::format("line {}: '{}' is not a clock time hh.mm.ss", line, s));
  }
  return (*t)[0] * 3600.0 + (*t)[1] * 60.0 + (*t)[2];
}

}  // namespace

SeizureAnnotations read_chbmit_summary(const std::filesystem::path& summary,
                                       const std::string& recording_name) {
  return parse_chbmit_summary(read_text_file(summary), summary, recording_name);
}

SeizureAnnotations parse_chbmit_summary(const std::string& text,
                                        const std::filesystem::path& summary,
                                        const std::string& recording_name) {
  SeizureAnnotations a;
  a.format = "chb-mit";
  a.source = summary;
  bool in_block = false;
  bool listed = false;
  double start = 0;
  bool started = false;  // a start line seen, its end not yet
  for (const auto& [n, untrimmed] : numbered_lines(text)) {
    const std::string_view line = trim(untrimmed);
    if (const auto name = value_after(line, "file name")) {
      in_block = *name == recording_name;
      listed = listed || in_block;
      continue;
    }
    const std::string l = lower_ascii(line);
    if (!in_block || !l.starts_with("seizure")) continue;
    const bool is_start = l.find("start time") != std::string::npos;
    const bool is_end = l.find("end time") != std::string::npos;
    if (!is_start && !is_end) continue;
    std::string_view value = trim(line.substr(line.find(':') + 1));
    if (const std::size_t unit = value.find(' '); unit != std::string_view::npos) {
      value = value.substr(0, unit);  // "2996 seconds"
    }
    const double t = parse_number(value, summary.string(), n);
    if (is_start) {
      start = t;
      started = true;
    } else if (started) {
      a.seizures.emplace_back(start, t);
      started = false;
    } else {
      throw_file_error(summary, fmt::format("line {}: a seizure end without a start", n));
    }
  }
  if (!listed) {
    throw_file_error(summary, fmt::format("{} is not listed", recording_name));
  }
  return a;
}

SeizureAnnotations read_siena_list(const std::filesystem::path& list,
                                   const std::string& recording_name) {
  return parse_siena_list(read_text_file(list), list, recording_name);
}

SeizureAnnotations parse_siena_list(const std::string& text, const std::filesystem::path& list,
                                    const std::string& recording_name) {
  SeizureAnnotations a;
  a.format = "siena";
  a.source = list;
  bool in_block = false;
  bool listed = false;
  double registration_start = 0;
  double seizure_start = 0;
  bool started = false;  // a start line seen, its end not yet
  // Clock times after the registration's start, counting on past midnight.
  const auto since_start = [&](double clock) {
    double t = clock - registration_start;
    return t < 0 ? t + 86400 : t;
  };
  for (const auto& [n, untrimmed] : numbered_lines(text)) {
    const std::string_view line = trim(untrimmed);
    if (const auto name = value_after(line, "file name")) {
      in_block = trim(*name) == recording_name;
      listed = listed || in_block;
      continue;
    }
    if (!in_block) continue;
    if (const auto v = value_after(line, "registration start time")) {
      registration_start = clock_seconds(*v, list, n);
      continue;
    }
    if (const auto v = value_after(line, "registration end time")) {
      a.duration_s = since_start(clock_seconds(*v, list, n));
      continue;
    }
    auto start = value_after(line, "seizure start time");
    if (!start) start = value_after(line, "start time");  // some lists drop "Seizure"
    if (start) {
      seizure_start = since_start(clock_seconds(*start, list, n));
      started = true;
      continue;
    }
    auto end = value_after(line, "seizure end time");
    if (!end) end = value_after(line, "end time");
    if (!end) continue;
    if (!started) {
      throw_file_error(list, fmt::format("line {}: a seizure end without a start", n));
    }
    double stop = since_start(clock_seconds(*end, list, n));
    if (a.duration_s > 0 && stop > a.duration_s) {
      a.warnings.push_back(fmt::format(
          "{}: line {}: the seizure in {} ends {:.0f} s after its registration does; cut there",
          list.string(), n, recording_name, stop - a.duration_s));
      stop = a.duration_s;
    }
    a.seizures.emplace_back(seizure_start, stop);
    started = false;
  }
  if (!listed) throw_file_error(list, fmt::format("{} is not listed", recording_name));
  std::sort(a.seizures.begin(), a.seizures.end());
  return a;
}

}  // namespace streamdx
