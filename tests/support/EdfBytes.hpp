#pragma once
// Writes small EDF/EDF+ files byte by byte for tests, so that readers are tested against the
// format itself, including what writers get wrong (gaps, odd ranges), not against our own writer.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace streamdx::testing {

struct EdfBytesSignal {
  std::string label;
  int samples_per_record = 0;
  double physical_min = -3276.8;
  double physical_max = 3276.7;
  int digital_min = -32768;
  int digital_max = 32767;
  std::string unit = "uV";
  std::vector<std::int16_t> digital;  // all records, this signal's samples
};

// `onsets` non-empty makes an EDF+D file with a time-keeping annotation signal.
inline void write_edf(const std::filesystem::path& path, std::vector<EdfBytesSignal> signals,
                      int records, double record_s, const std::vector<double>& onsets = {}) {
  const bool plus = !onsets.empty();
  if (plus) {
    EdfBytesSignal annotations;
    annotations.label = "EDF Annotations";
    annotations.samples_per_record = 30;
    signals.push_back(annotations);
  }
  const std::size_t ns = signals.size();
  auto pad = [](std::string s, std::size_t w) {
    s.resize(w, ' ');
    return s;
  };
  auto num = [&](double v, std::size_t w) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return pad(buf, w);
  };
  std::string h = pad("0", 8);
  h += pad("X X X X", 80);
  h += pad("Startdate 01-JAN-2020 X X X", 80);
  h += "01.01.2010.00.00";
  h += num(static_cast<double>(256 + 256 * ns), 8);
  h += pad(plus ? "EDF+D" : "", 44);
  h += num(records, 8);
  h += num(record_s, 8);
  h += num(static_cast<double>(ns), 4);
  for (auto& s : signals) h += pad(s.label, 16);
  for (std::size_t i = 0; i < ns; ++i) h += pad("", 80);
  for (auto& s : signals) h += pad(s.label == "EDF Annotations" ? "" : s.unit, 8);
  for (auto& s : signals) h += num(s.physical_min, 8);
  for (auto& s : signals) h += num(s.physical_max, 8);
  for (auto& s : signals) h += num(s.digital_min, 8);
  for (auto& s : signals) h += num(s.digital_max, 8);
  for (std::size_t i = 0; i < ns; ++i) h += pad("", 80);
  for (auto& s : signals) h += num(s.samples_per_record, 8);
  for (std::size_t i = 0; i < ns; ++i) h += pad("", 32);
  std::ofstream out(path, std::ios::binary);
  out << h;
  for (int r = 0; r < records; ++r) {
    for (auto& s : signals) {
      if (s.label == "EDF Annotations") {
        std::string tal = "+";  // built with += : GCC 12 warns falsely on "literal" + std::string
        tal += std::to_string(onsets.at(static_cast<std::size_t>(r)));
        tal += "\x14\x14";
        tal.resize(2 * static_cast<std::size_t>(s.samples_per_record), '\0');
        out << tal;
        continue;
      }
      for (int i = 0; i < s.samples_per_record; ++i) {
        const auto v = static_cast<std::uint16_t>(s.digital.at(
            static_cast<std::size_t>(r) * static_cast<std::size_t>(s.samples_per_record) +
            static_cast<std::size_t>(i)));
        out.put(static_cast<char>(v & 0xFF));
        out.put(static_cast<char>(v >> 8));
      }
    }
  }
}

}  // namespace streamdx::testing
