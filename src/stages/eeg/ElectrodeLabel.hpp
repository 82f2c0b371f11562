#pragma once
// Reads an EEG channel label as the difference of two terms: an electrode minus an electrode
// ("FP1-F7", bipolar) or an electrode minus the recording reference ("EEG FP1-REF", "Fp1").
//
// Accepted spellings, each seen in real corpora: any case; an "EEG " prefix; trailing dots
// ("Fc5."); reference suffixes REF, LE, AR, AVG, CAR; the modern names T7/T8/P7/P8, which are
// mapped to T3/T4/T5/T6. An electrode is a 10-10 system name: a region (FP AF F FT FC T TP C CP P
// PO O A I) followed by Z or a number. Anything else ("EKG1-REF", "SpO2", "Status", "ROC") is not
// EEG and is left out of montages.
#include <optional>
#include <string>
#include <string_view>

namespace streamdx {

inline constexpr std::string_view kReferenceNode = "REF";

struct LabelTerms {
  std::string positive;  // canonical electrode name, e.g. "T3"
  std::string negative;  // canonical electrode name, or kReferenceNode
};

// Canonical electrode name ("Fp1" -> "FP1", "T7" -> "T3"), or nullopt if `name` is not one.
std::optional<std::string> canonical_electrode(std::string_view name);

// The two terms of an EEG channel label, or nullopt if the label is not an EEG channel.
std::optional<LabelTerms> parse_eeg_label(std::string_view label);

}  // namespace streamdx
