#pragma once
// The TCP (temporal central parasagittal) bipolar montage, and how to form it from whatever
// channels a recording has.
//
// Every EEG input channel is an edge between two nodes of a graph: its two electrodes, or an
// electrode and the recording reference (ElectrodeLabel.hpp). A montage channel X-Y is then the
// signed sum of the channels along the shortest path from X to Y. For a referential recording
// that is (X-REF) - (Y-REF); for a bipolar one it may chain several derivations, e.g. CHB-MIT's
// T7-C3 = -(F7-T7) - (FP1-F7) + (FP1-F3) + (F3-C3). Both are exact: the reference, or the
// intermediate electrodes, cancel. Ties are broken by input order, so a plan is deterministic.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace streamdx {

enum class MontageKind {
  kAuto,   // TCP 22 when A1 and A2 are linked in, else TCP 20; the channels that can be formed
           // when some cannot (MontagePlan::missing lists those)
  kTcp22,  // TCP_AR: 22 channels, an error if any is missing
  kTcp20,  // without A1-T3 and T4-A2
  kNone,   // every EEG-or-not signal kept as it is (single-channel data, custom montages)
};

MontageKind parse_montage_kind(std::string_view name);  // auto, tcp22, tcp20, none
std::string_view montage_kind_name(MontageKind kind);

// The 22 TCP_AR derivations in the standard order; the 20-channel montage omits A1-T3, T4-A2.
const std::vector<std::string>& tcp_channel_labels(MontageKind kind);

struct MontageTerm {
  std::size_t input = 0;  // index into the input labels
  float sign = 1.0F;
};

struct MontageChannel {
  std::string label;               // e.g. "FP1-F7"
  std::vector<MontageTerm> terms;  // output = sum of sign * input
};

struct MontagePlan {
  MontageKind kind = MontageKind::kNone;  // kTcp22, kTcp20 or kNone (never kAuto)
  std::vector<MontageChannel> channels;
  std::vector<std::size_t> used_inputs;     // inputs some channel reads, ascending
  std::vector<std::size_t> dropped_inputs;  // the others, ascending
  std::vector<std::string> missing;         // "auto": TCP channels the recording cannot form

  // "FP1-F7 = +[EEG FP1-REF] -[EEG F7-REF]", for inspect and logs.
  [[nodiscard]] std::string describe(std::size_t channel,
                                     const std::vector<std::string>& input_labels) const;
};

// Plans `kind` over `labels`. `is_signal[i]` false marks inputs that carry no samples (EDF
// annotation channels). Throws std::invalid_argument listing every missing electrode or
// derivation when a named montage (tcp22, tcp20) cannot be formed whole, or when "auto" can form
// no TCP channel at all.
MontagePlan plan_montage(const std::vector<std::string>& labels, const std::vector<bool>& is_signal,
                         MontageKind kind);

}  // namespace streamdx
