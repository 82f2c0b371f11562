#pragma once
// Reading samples out of EDF, EDF+ and BDF(+) files, one data record at a time, in physical
// units (µV for EEG).
//
// open_edf() uses EDFlib first. When EDFlib refuses a file, it falls back to streamdx's own
// tolerant record reader (TolerantEdfReader) and says why. Measured on the 325 real sample files
// (docs/ACQUISITION.md), EDFlib 1.23 refuses two: an EDF+D file whose records are in fact
// contiguous (EDFlib reads no EDF+D at all), and a file with annotation format errors that MNE
// tolerates. The tolerant reader reads both. It takes each record's onset from its time-keeping
// annotation, so gaps in EDF+D files are reported, never glued together.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "io/EdfHeader.hpp"

namespace streamdx {

struct EdfAnnotation {
  double onset_s = 0;      // from the recording start
  double duration_s = -1;  // -1 when absent
  std::string text;        // UTF-8
};

class EdfRecordReader {
 public:
  virtual ~EdfRecordReader() = default;
  [[nodiscard]] virtual const EdfHeader& header() const = 0;
  // Which implementation reads this file, and why (for inspect and logs).
  [[nodiscard]] virtual std::string reader_name() const = 0;
  [[nodiscard]] virtual std::string fallback_reason() const { return {}; }
  // Seconds between the start time in the header and the first record (EDF+ sub-second starts).
  [[nodiscard]] virtual double start_subsecond_s() const = 0;
  [[nodiscard]] virtual std::vector<EdfAnnotation> annotations() const = 0;

  // Reads the next data record of `signals` (indices into header().signals) into `planar`:
  // each signal's samples_per_record values, one signal after another. Sets `onset_s` to the
  // record's start from the recording start. Returns false after the last record.
  virtual bool next_record(std::span<const std::size_t> signals, std::vector<float>& planar,
                           double& onset_s) = 0;
  // The next next_record() reads data record `record` (0-based; header().records or beyond reads
  // nothing more). For reading a chunk of a long recording (streamdx batch).
  virtual void seek_record(std::int64_t record) = 0;
};

std::unique_ptr<EdfRecordReader> open_edf(const std::filesystem::path& path);

// Streamdx's own reader, used directly by tests and by open_edf() as the fallback.
std::unique_ptr<EdfRecordReader> open_edf_tolerant(const std::filesystem::path& path,
                                                   std::string fallback_reason);

}  // namespace streamdx
