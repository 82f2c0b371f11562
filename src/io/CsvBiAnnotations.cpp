#include "io/CsvBiAnnotations.hpp"

#include <fmt/format.h>

#include <sstream>
#include <stdexcept>

#include "io/TextParsing.hpp"

namespace streamdx {

std::vector<std::pair<double, double>> CsvBiFile::intervals(const std::string& label) const {
  std::vector<std::pair<double, double>> out;
  for (const CsvBiEvent& e : events) {
    if (e.channel == "TERM" && e.label == label) out.emplace_back(e.start_s, e.stop_s);
  }
  return out;
}

CsvBiFile read_csv_bi(const std::filesystem::path& path) {
  return parse_csv_bi(read_text_file(path), path.string());
}

CsvBiFile parse_csv_bi(std::string_view text_in, std::string_view path) {
  std::istringstream in{std::string(text_in)};
  CsvBiFile f;
  std::string raw;
  std::size_t line = 0;
  bool columns = false;
  while (std::getline(in, raw)) {
    ++line;
    const std::string text(trim(raw));
    if (text.empty()) continue;
    if (text[0] == '#') {
      if (text.starts_with("# INCOMPLETE:")) f.incomplete = text.substr(2);
      const auto eq = text.find('=');
      if (eq == std::string::npos) continue;
      const std::string key(trim(std::string_view(text).substr(1, eq - 1)));
      const std::string value(trim(std::string_view(text).substr(eq + 1)));
      if (key == "version") f.version = value;
      if (key == "bname") f.bname = value;
      if (key == "duration") {
        f.duration_text = trim(value.substr(0, value.find(' ')));
        f.duration_s = parse_number(f.duration_text, path, line);
      }
      continue;
    }
    if (!columns) {
      if (text != "channel,start_time,stop_time,label,confidence") {
        throw std::runtime_error(fmt::format(
            "{}:{}: expected the csv_bi column line 'channel,start_time,stop_time,label,"
            "confidence'",
            path, line));
      }
      columns = true;
      continue;
    }
    const std::vector<std::string_view> cells = split_fields(text, ',');
    if (cells.size() != 5) {
      throw std::runtime_error(fmt::format("{}:{}: expected 5 comma-separated fields, found {}",
                                           path, line, cells.size()));
    }
    CsvBiEvent e{std::string(cells[0]), parse_number(cells[1], path, line),
                 parse_number(cells[2], path, line), std::string(cells[3]),
                 parse_number(cells[4], path, line)};
    if (!(e.stop_s > e.start_s) || e.start_s < 0) {
      throw std::runtime_error(
          fmt::format("{}:{}: an event must have 0 <= start < stop", path, line));
    }
    f.events.push_back(std::move(e));
  }
  if (!columns) {
    throw std::runtime_error(fmt::format("{}: no csv_bi column line", path));
  }
  return f;
}

}  // namespace streamdx
