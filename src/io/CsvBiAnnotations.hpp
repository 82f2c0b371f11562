#pragma once
// csv_bi: the event-list format of Temple's TUSZ corpus and NEDC v6 scorer.
//
//   # version = csv_v1.0.0
//   # bname = aaaaaool_s004_t001
//   # duration = 1831.00 secs
//   channel,start_time,stop_time,label,confidence
//   TERM,733.9656,818.0202,seiz,1.0000
//
// Header lines start with '#'; then the column line; then one event a row. TERM rows apply to
// the whole recording (the "bi" in csv_bi: binary seiz / bckg, all channels).
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace streamdx {

struct CsvBiEvent {
  std::string channel;  // "TERM" for whole-recording events
  double start_s = 0;
  double stop_s = 0;
  std::string label;  // "seiz", "bckg", ...
  double confidence = 1;
};

struct CsvBiFile {
  std::string version;  // "csv_v1.0.0"
  std::string bname;
  std::string duration_text;  // as written, e.g. "1831.00": scorers compare it exactly
  double duration_s = 0;
  std::string incomplete;  // the "# INCOMPLETE: ..." line of a run that stopped early, or ""
  std::vector<CsvBiEvent> events;

  // TERM events with this label, as [start, stop) intervals in seconds.
  [[nodiscard]] std::vector<std::pair<double, double>> intervals(const std::string& label) const;
};

// Throws std::runtime_error naming the file and line of anything malformed.
CsvBiFile read_csv_bi(const std::filesystem::path& path);
// The same for text already in memory; `name` stands for the file in errors.
CsvBiFile parse_csv_bi(std::string_view text, std::string_view name);

}  // namespace streamdx
