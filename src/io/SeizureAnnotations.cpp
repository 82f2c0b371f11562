#include "io/SeizureAnnotations.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "io/CsvBiAnnotations.hpp"
#include "io/TextParsing.hpp"

namespace streamdx {

namespace {

SeizureAnnotations from_csv_bi(const std::filesystem::path& path) {
  const CsvBiFile f = read_csv_bi(path);
  SeizureAnnotations a;
  a.format = "csv_bi";
  a.source = path;
  a.seizures = f.intervals("seiz");
  a.duration_s = f.duration_s;
  a.duration_text = f.duration_text;
  return a;
}

bool mentions(const std::filesystem::path& list, const std::string& name) {
  return read_text_file(list).find(name) != std::string::npos;
}

}  // namespace

SeizureAnnotations read_seizeit_tsv(const std::filesystem::path& tsv) {
  return parse_seizeit_tsv(read_text_file(tsv), tsv);
}

SeizureAnnotations parse_seizeit_tsv(const std::string& text, const std::filesystem::path& tsv) {
  SeizureAnnotations a;
  a.format = "seizeit";
  a.source = tsv;
  for (const auto& [n, line] : numbered_lines(text)) {
    if (trim(line).front() == '#') continue;
    const auto fields = split_fields(line, '\t');
    if (fields.size() < 2) {
      throw_file_error(
          tsv, fmt::format("line {}: expected onset<TAB>offset<TAB>..., got '{}'", n, trim(line)));
    }
    const double onset = parse_number(fields[0], tsv.string(), n);
    double offset = 0;
    if (fields[1] == "None" || fields[1].empty()) {
      offset = onset + kUnknownEndS;
      a.warnings.push_back(
          fmt::format("{}: line {}: the seizure at {:g} s has no marked end; taken as {:g} s long",
                      tsv.string(), n, onset, kUnknownEndS));
    } else {
      offset = parse_number(fields[1], tsv.string(), n);
    }
    if (offset < onset) {
      throw_file_error(
          tsv, fmt::format("line {}: the seizure ends ({:g} s) before it starts ({:g} s)", n,
                           offset, onset));
    }
    a.seizures.emplace_back(onset, offset);
  }
  std::sort(a.seizures.begin(), a.seizures.end());
  return a;
}

SeizureAnnotations read_bids_events(const std::filesystem::path& tsv) {
  return parse_bids_events(read_text_file(tsv), tsv);
}

SeizureAnnotations parse_bids_events(const std::string& text, const std::filesystem::path& tsv) {
  SeizureAnnotations a;
  a.format = "bids";
  a.source = tsv;
  const auto lines = numbered_lines(text);
  if (lines.empty()) throw_file_error(tsv, "empty: expected a header row (onset, duration, ...)");
  const auto header = split_fields(lines[0].second, '\t');
  const auto column = [&](std::string_view name) -> std::size_t {
    const auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? header.size() : static_cast<std::size_t>(it - header.begin());
  };
  const std::size_t onset = column("onset");
  const std::size_t duration = column("duration");
  const std::size_t type = column("eventType");
  const std::size_t recording = column("recordingDuration");
  if (onset == header.size() || duration == header.size() || type == header.size()) {
    throw_file_error(tsv,
                     "the header row lacks onset, duration or eventType (SzCORE's BIDS events)");
  }
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto& [n, line] = lines[i];
    const auto f = split_fields(line, '\t');
    if (f.size() != header.size()) {
      throw_file_error(
          tsv, fmt::format("line {}: {} fields, the header has {}", n, f.size(), header.size()));
    }
    if (recording < f.size() && f[recording] != "n/a") {
      a.duration_s = parse_number(f[recording], tsv.string(), n);
    }
    if (!f[type].starts_with("sz")) continue;  // "bckg" and others
    const double start = parse_number(f[onset], tsv.string(), n);
    const double length = parse_number(f[duration], tsv.string(), n);
    a.seizures.emplace_back(start, start + length);
  }
  std::sort(a.seizures.begin(), a.seizures.end());
  return a;
}

SeizureAnnotations read_annotation_file(const std::filesystem::path& path) {
  const std::string name = path.filename().string();
  if (path.extension() == ".csv_bi") return from_csv_bi(path);
  if (name.ends_with("_a1.tsv")) return read_seizeit_tsv(path);
  if (name.ends_with("_events.tsv")) return read_bids_events(path);
  throw_file_error(path,
                   "not an annotation file streamdx reads by itself (.csv_bi, SeizeIT *_a1.tsv, "
                   "BIDS *_events.tsv; CHB-MIT and Siena lists are found from the recording)");
}

std::optional<SeizureAnnotations> find_seizure_annotations(const std::filesystem::path& recording) {
  const std::filesystem::path dir = recording.parent_path();
  const std::string stem = recording.stem().string();
  const std::string name = recording.filename().string();
  const auto beside = [&](const std::string& file) -> std::optional<std::filesystem::path> {
    const std::filesystem::path p = dir / file;
    return std::filesystem::is_regular_file(p) ? std::optional(p) : std::nullopt;
  };
  if (const auto p = beside(stem + ".csv_bi")) return from_csv_bi(*p);
  if (const auto p = beside(stem + "_a1.tsv")) return read_seizeit_tsv(*p);
  if (stem.ends_with("_eeg")) {
    if (const auto p = beside(stem.substr(0, stem.size() - 4) + "_events.tsv")) {
      return read_bids_events(*p);
    }
  }
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir.empty() ? "." : dir, ec)) {
    const std::string f = entry.path().filename().string();
    if (f.ends_with("-summary.txt") && mentions(entry.path(), name)) {
      return read_chbmit_summary(entry.path(), name);
    }
    if (f.starts_with("Seizures-list-") && f.ends_with(".txt") && mentions(entry.path(), name)) {
      return read_siena_list(entry.path(), name);
    }
  }
  return std::nullopt;
}

}  // namespace streamdx
