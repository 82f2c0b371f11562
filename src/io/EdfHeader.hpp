#pragma once
// EdfHeader: the fixed header of an EDF, EDF+ or BDF(+) file (256 bytes, then 256 per signal),
// parsed without EDFlib so that streamdx can inspect, plan a montage for, and read files that
// EDFlib refuses (docs/ACQUISITION.md).
//
// Lenient rules, each seen in real files:
// - numeric fields may carry leading/trailing spaces or NULs, and a decimal comma;
// - a record count of -1 (unknown, left by an interrupted recorder) is recomputed from the
//   file size, rounded down to whole records;
// - the reserved field decides EDF+C / EDF+D / BDF+C / BDF+D, anything else is plain EDF/BDF.
// Strict rules (the error names the file and the field):
// - the header must be complete, with 1 to 4096 signals and a positive samples-per-record each;
// - digital minimum must differ from digital maximum (otherwise there is no scale).
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace streamdx {

enum class EdfKind {
  kEdf,
  kEdfPlusContinuous,
  kEdfPlusDiscontinuous,
  kBdf,
  kBdfPlusContinuous,
  kBdfPlusDiscontinuous
};

// µV per unit of an EDF physical dimension ("uV", "µV" in UTF-8 or Latin-1, "mV", "V", "nV");
// 1 for a dimension that is not volts.
double microvolts_per_unit(std::string_view dimension);

struct EdfSignalHeader {
  std::string label;  // as written, trimmed
  std::string transducer;
  std::string physical_dimension;
  std::string prefilter;
  double physical_min = 0;
  double physical_max = 0;
  std::int32_t digital_min = 0;
  std::int32_t digital_max = 0;
  std::int32_t samples_per_record = 0;
  double sample_rate_hz = 0;   // samples_per_record / record duration (0 for zero-length records)
  bool is_annotation = false;  // "EDF Annotations" / "BDF Annotations"
  // µV per physical unit: EEG is written in µV, mV or V, and the pipeline works in µV. 1 for a
  // dimension that names no volts (a non-EEG channel), which the montage does not use.
  double microvolts_per_unit = 1.0;

  // physical = digital * gain + offset. An inverted range (phys_min > phys_max) gives gain < 0.
  [[nodiscard]] double gain() const {
    return (physical_max - physical_min) / static_cast<double>(digital_max - digital_min);
  }
  [[nodiscard]] double offset() const { return physical_max - gain() * digital_max; }
};

struct EdfHeader {
  std::filesystem::path path;
  EdfKind kind = EdfKind::kEdf;
  std::string patient;
  std::string recording;
  std::string start_date;  // dd.mm.yy as written
  std::string start_time;  // hh.mm.ss as written
  std::int64_t header_bytes = 0;
  std::int64_t records = 0;  // whole data records in the file (recomputed when the header says -1)
  bool records_recomputed = false;
  double record_duration_s = 0;
  std::vector<EdfSignalHeader> signals;

  [[nodiscard]] bool is_bdf() const noexcept {
    return kind == EdfKind::kBdf || kind == EdfKind::kBdfPlusContinuous ||
           kind == EdfKind::kBdfPlusDiscontinuous;
  }
  [[nodiscard]] bool is_discontinuous() const noexcept {
    return kind == EdfKind::kEdfPlusDiscontinuous || kind == EdfKind::kBdfPlusDiscontinuous;
  }
  [[nodiscard]] int bytes_per_sample() const noexcept { return is_bdf() ? 3 : 2; }
  [[nodiscard]] std::int64_t record_bytes() const;
  // To the nanosecond: 6703 records of 0.1 s are 670.3 s, not 670.3000000000001.
  [[nodiscard]] double duration_s() const noexcept {
    return std::round(static_cast<double>(records) * record_duration_s * 1e9) / 1e9;
  }
  [[nodiscard]] std::string kind_name() const;

  // Reads and checks the header; throws std::runtime_error "<file>: <what is wrong>".
  static EdfHeader read(const std::filesystem::path& path);
  // Parses header bytes already in memory (`file_size` is used to recompute a -1 record count).
  static EdfHeader parse(const std::vector<std::uint8_t>& bytes, std::int64_t file_size,
                         const std::filesystem::path& name);
};

}  // namespace streamdx
