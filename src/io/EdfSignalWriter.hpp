#pragma once
// EdfSignalWriter: the signal file. Writes the frames, in the order they were streamed, to an
// EDF+ file with EDFlib, one 0.1 s frame per data record (so no record is ever padded).
//
// - Physical range -4096 to 4095.875 µV on 16 bits: steps of exactly 0.125 µV, numbers that
//   EDF's 8-character fields and binary floating point both hold exactly. Samples are rounded to
//   that grid here (EDFlib would truncate), so the round trip errs by at most 0.0625 µV. Samples
//   beyond the range are clipped and counted (clipped_samples()).
// - EDF+C cannot hold a gap, so a discontinuity becomes an annotation at the frame where the
//   recording resumes ("gap: resumes at 12.300 s"; EDFlib keeps 40 characters of annotation
//   text); the file stays EDF+C.
// - The header's equipment field names streamdx and its version.
// - Atomic: EDFlib writes "<path>.part", renamed into place by finish(). A stream that ended by
//   an upstream error is still published, with an annotation saying so: every frame that was
//   processed is kept.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/Stage.hpp"

namespace streamdx {

// When a signal file's recording started. Inputs that carry no date (the simulator, text, stdin,
// ZeroMQ) get EDF's anonymised 1985-01-01 00:00:00, so that the same input always gives the same
// bytes; EDFlib's own default, the time of the run, would not.
struct RecordingStart {
  int year = 1985;  // EDFlib takes 1985-2084
  int month = 1;
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
};

// The start an EDF header states ("dd.mm.yy", "hh.mm.ss"; yy 85-99 is 19yy, else 20yy), or
// nullopt when either field does not parse.
std::optional<RecordingStart> parse_edf_start(std::string_view date, std::string_view time);

class EdfSignalWriter {
 public:
  static constexpr std::string_view kName = "edf-write";
  static constexpr double kStepUv = 0.125;
  static constexpr double kPhysicalMinUv = -32768 * kStepUv;
  static constexpr double kPhysicalMaxUv = 32767 * kStepUv;

  EdfSignalWriter(std::filesystem::path path, std::vector<std::string> labels,
                  std::string equipment);
  EdfSignalWriter(EdfSignalWriter&& other) noexcept;
  EdfSignalWriter& operator=(EdfSignalWriter&&) = delete;
  EdfSignalWriter(const EdfSignalWriter&) = delete;
  EdfSignalWriter& operator=(const EdfSignalWriter&) = delete;
  ~EdfSignalWriter();

  // Before the first frame.
  void set_start(const RecordingStart& start) { start_ = start; }
  // The input recording's annotations, carried into the file (those inside what was written).
  struct InputAnnotation {
    double onset_s = 0;
    double duration_s = -1;  // -1: none
    std::string text;
  };
  void set_input_annotations(std::vector<InputAnnotation> annotations) {
    input_annotations_ = std::move(annotations);
  }
  void consume(const Frame& frame);
  void finish(EndReason reason);

  [[nodiscard]] std::uint64_t clipped_samples() const noexcept { return clipped_; }

 private:
  void check_complete();
  void open(const Frame& first);
  void annotate(double onset_s, const std::string& text, double duration_s = -1);

  std::filesystem::path path_;
  std::filesystem::path part_;
  std::vector<std::string> labels_;
  std::string equipment_;
  int handle_ = -1;
  std::uint64_t frames_ = 0;
  double frame_s_ = 0;
  std::uint64_t clipped_ = 0;
  std::vector<double> buffer_;
  RecordingStart start_;
  std::vector<InputAnnotation> input_annotations_;
};

}  // namespace streamdx
