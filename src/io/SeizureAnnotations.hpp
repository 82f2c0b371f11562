#pragma once
// Seizure annotations of one recording, from whichever format its corpus uses. Every reader turns
// its format into the same thing: seizure intervals in seconds from the recording's start.
//
//   TUSZ      NAME.csv_bi beside NAME.edf (CsvBiAnnotations.hpp)
//   CHB-MIT   chbNN-summary.txt in the recording's folder: "File Name: chb01_03.edf", then
//             "Seizure [k] Start Time: 2996 seconds" / "... End Time: 3036 seconds"
//   Siena     Seizures-list-PNxx.txt in the folder: "File name: PN00-1.edf", "Registration
//             start time: 19.39.33", "Seizure start time: 19.58.36" (clock times, hh.mm.ss)
//   SeizeIT   NAME_a1.tsv beside NAME.edf: '#' lines, then "onset<TAB>offset<TAB>type<TAB>..."
//             in seconds, offset "None" when the end was not marked
//   BIDS      ..._events.tsv beside ..._eeg.edf, as SzCORE defines it: a header row naming
//             onset, duration, eventType (seizure when it starts with "sz"), recordingDuration
//
// Oddities real files have are kept and warned about, naming the file: a SeizeIT seizure
// without an end lasts kUnknownEndS; a Siena seizure that ends after its registration is cut
// there; clock times past midnight count on into the next day.
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace streamdx {

inline constexpr double kUnknownEndS = 60;  // a typical focal seizure's length

struct SeizureAnnotations {
  std::string format;            // "csv_bi", "chb-mit", "siena", "seizeit" or "bids"
  std::filesystem::path source;  // the annotation file read
  std::vector<std::pair<double, double>> seizures;  // [start, stop) s from the recording start
  double duration_s = 0;                            // when the annotation says it; else 0
  std::string duration_text;                        // as written (csv_bi), for messages
  std::vector<std::string> warnings;                // one line each, naming the file
};

// The annotations of `recording` (an EDF), found beside it in any of the formats above, or
// nullopt when none is there. Throws std::runtime_error naming the file and line of anything
// malformed.
std::optional<SeizureAnnotations> find_seizure_annotations(const std::filesystem::path& recording);

// Each format alone (the recording's file name selects its block in the folder-wide lists).
SeizureAnnotations read_chbmit_summary(const std::filesystem::path& summary,
                                       const std::string& recording_name);
SeizureAnnotations read_siena_list(const std::filesystem::path& list,
                                   const std::string& recording_name);
SeizureAnnotations read_seizeit_tsv(const std::filesystem::path& tsv);
SeizureAnnotations read_bids_events(const std::filesystem::path& tsv);
// The same from text in memory (fuzzing, tests); `source` names it in errors.
SeizureAnnotations parse_chbmit_summary(const std::string& text,
                                        const std::filesystem::path& source,
                                        const std::string& recording_name);
SeizureAnnotations parse_siena_list(const std::string& text, const std::filesystem::path& source,
                                    const std::string& recording_name);
SeizureAnnotations parse_seizeit_tsv(const std::string& text, const std::filesystem::path& source);
SeizureAnnotations parse_bids_events(const std::string& text, const std::filesystem::path& source);
// Reads whichever single-recording format `path` is (csv_bi, SeizeIT, BIDS), by its name.
SeizureAnnotations read_annotation_file(const std::filesystem::path& path);

}  // namespace streamdx
