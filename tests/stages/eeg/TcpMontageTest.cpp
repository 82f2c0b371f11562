#include "stages/eeg/TcpMontage.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <map>

#include "io/EdfHeader.hpp"
#include "support/TestData.hpp"

namespace streamdx {
namespace {

std::vector<bool> all_signals(std::size_t n) {
  return std::vector<bool>(n, true);
}

// Evaluates a plan on symbolic "electrode potentials" to check the arithmetic, not the shape.
std::map<std::string, double> potentials() {
  return {{"FP1", 1.5}, {"FP2", -2.25}, {"F7", 3.0},  {"F8", 0.5},   {"F3", -1.0},  {"F4", 2.0},
          {"T3", 4.0},  {"T4", -3.5},   {"T5", 0.25}, {"T6", 1.75},  {"C3", -0.5},  {"C4", 2.5},
          {"CZ", 0.75}, {"P3", -2.0},   {"P4", 3.25}, {"O1", -1.25}, {"O2", 0.125}, {"A1", 5.0},
          {"A2", -4.0}, {"FZ", 0.0},    {"PZ", 1.0},  {"REF", 10.0}};
}

double value_of_input(const std::string& label) {
  const auto p = potentials();
  const std::size_t dash = label.find('-');
  if (dash == std::string::npos) return p.at(label) - p.at("REF");
  return p.at(label.substr(0, dash)) - p.at(label.substr(dash + 1));
}

void expect_exact_derivations(const MontagePlan& plan,
                              const std::vector<std::string>& canonical_inputs) {
  const auto p = potentials();
  for (const MontageChannel& c : plan.channels) {
    double v = 0;
    for (const MontageTerm& t : c.terms) v += t.sign * value_of_input(canonical_inputs[t.input]);
    const std::size_t dash = c.label.find('-');
    EXPECT_DOUBLE_EQ(v, p.at(c.label.substr(0, dash)) - p.at(c.label.substr(dash + 1))) << c.label;
  }
}

TEST(TcpMontage, ReferentialRecordingGivesAll22AsDifferences) {
  std::vector<std::string> labels;
  std::vector<std::string> canonical;
  for (const auto& [e, v] : potentials()) {
    if (e == "REF") continue;
    labels.push_back("EEG " + e + "-REF");
    canonical.push_back(e);
  }
  labels.emplace_back("EEG EKG1-REF");
  canonical.emplace_back("EKG");
  const MontagePlan plan = plan_montage(labels, all_signals(labels.size()), MontageKind::kAuto);
  EXPECT_EQ(plan.kind, MontageKind::kTcp22);
  ASSERT_EQ(plan.channels.size(), 22U);
  EXPECT_EQ(plan.channels[0].label, "FP1-F7");
  for (const MontageChannel& c : plan.channels) EXPECT_EQ(c.terms.size(), 2U) << c.label;
  expect_exact_derivations(plan, canonical);
  EXPECT_EQ(plan.dropped_inputs.back(), labels.size() - 1) << "the EKG channel is dropped";
}

TEST(TcpMontage, WithoutEarElectrodesAutoChoosesTwentyAndTcp22NamesThem) {
  const std::vector<std::string> labels{"Fp1", "Fp2", "F3", "F4", "F7", "F8", "C3", "C4", "Cz",
                                        "T7",  "T8",  "P7", "P8", "P3", "P4", "O1", "O2"};
  const MontagePlan plan = plan_montage(labels, all_signals(labels.size()), MontageKind::kAuto);
  EXPECT_EQ(plan.kind, MontageKind::kTcp20);
  EXPECT_EQ(plan.channels.size(), 20U);
  try {
    plan_montage(labels, all_signals(labels.size()), MontageKind::kTcp22);
    FAIL() << "tcp22 formed without A1 and A2";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "cannot form the tcp22 montage: missing electrodes A1, A2 (--montage none keeps "
                 "the recording's own channels)");
  }
}

TEST(TcpMontage, MissingElectrodesAreAllListed) {
  const std::vector<std::string> labels{"FP1", "F7", "T3", "T5", "O1"};
  try {
    plan_montage(labels, all_signals(labels.size()), MontageKind::kTcp20);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "cannot form the tcp20 montage: missing electrodes C3, C4, CZ, F3, F4, F8, FP2, "
                 "O2, P3, P4, T4, T6 (--montage none keeps the recording's own channels)");
  }
}

TEST(TcpMontage, BipolarRecordingsPassThroughAndChainWhereNeeded) {
  // The TCP channels themselves: each output is exactly one input, with sign +1.
  std::vector<std::string> labels = tcp_channel_labels(MontageKind::kTcp22);
  const MontagePlan direct = plan_montage(labels, all_signals(labels.size()), MontageKind::kAuto);
  ASSERT_EQ(direct.channels.size(), 22U);
  for (std::size_t i = 0; i < 22; ++i) {
    ASSERT_EQ(direct.channels[i].terms.size(), 1U);
    EXPECT_EQ(direct.channels[i].terms[0].input, i);
    EXPECT_EQ(direct.channels[i].terms[0].sign, 1.0F);
  }
  // Without T3-C3 (and with modern names elsewhere), T3-C3 is chained through other derivations.
  labels.erase(std::find(labels.begin(), labels.end(), "T3-C3"));
  std::vector<std::string> written = labels;
  std::replace(written.begin(), written.end(), std::string("F7-T3"), std::string("F7-T7"));
  const MontagePlan chained =
      plan_montage(written, all_signals(written.size()), MontageKind::kTcp22);
  ASSERT_EQ(chained.channels.size(), 22U);
  EXPECT_EQ(chained.channels[9].label, "T3-C3");
  EXPECT_GE(chained.channels[9].terms.size(), 3U);
  expect_exact_derivations(chained, labels);
  EXPECT_TRUE(chained.dropped_inputs.empty());
}

// CHB-MIT's 18 bipolar derivations (23 channels, some repeated) cannot form C3-CZ and CZ-C4: no
// channel reaches CZ from C3 or C4. "auto" runs on the 18 it can form and names the two; a named
// montage still refuses.
TEST(TcpMontage, AutoFormsWhatItCanAndNamesTheRest) {
  const std::vector<std::string> chb{"FP1-F7", "F7-T7",  "T7-P7",    "P7-O1",   "FP1-F3", "F3-C3",
                                     "C3-P3",  "P3-O1",  "FP2-F4",   "F4-C4",   "C4-P4",  "P4-O2",
                                     "FP2-F8", "F8-T8",  "T8-P8",    "P8-O2",   "FZ-CZ",  "CZ-PZ",
                                     "P7-T7",  "T7-FT9", "FT9-FT10", "FT10-T8", "T8-P8"};
  const MontagePlan plan = plan_montage(chb, all_signals(chb.size()), MontageKind::kAuto);
  EXPECT_EQ(plan.kind, MontageKind::kTcp20);
  EXPECT_EQ(plan.channels.size(), 18U);
  EXPECT_EQ(plan.missing, (std::vector<std::string>{"C3-CZ", "CZ-C4"}));
  for (const MontageChannel& c : plan.channels) EXPECT_NE(c.label, "C3-CZ");
  EXPECT_THROW(plan_montage(chb, all_signals(chb.size()), MontageKind::kTcp20),
               std::invalid_argument);
  // Nothing to form at all is still an error under "auto".
  const std::vector<std::string> none{"EKG", "RESP"};
  EXPECT_THROW(plan_montage(none, all_signals(2), MontageKind::kAuto), std::invalid_argument);
}

TEST(TcpMontage, AnnotationSignalsAreNeverUsed) {
  const std::vector<std::string> labels{"EDF Annotations", "Fp1"};
  const MontagePlan plan = plan_montage(labels, {false, true}, MontageKind::kNone);
  ASSERT_EQ(plan.channels.size(), 1U);
  EXPECT_EQ(plan.channels[0].terms[0].input, 1U);
}

// Every real file either maps or fails with a precise reason; every TUSZ 01_tcp_ar file gives 22.
TEST(TcpMontageRealFiles, EverySampleFileMapsOrSaysWhy) {
  STREAMDX_DATA_OR_SKIP(root, "eeg");
  std::size_t files = 0;
  std::size_t mapped = 0;
  std::size_t tusz_ar = 0;
  std::map<std::string, std::size_t> reasons;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    std::string ext = entry.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    if (ext != ".edf" && ext != ".bdf") continue;
    ++files;
    const std::string path = entry.path().string();
    try {
      const EdfHeader h = EdfHeader::read(entry.path());
      std::vector<std::string> labels;
      std::vector<bool> is_signal;
      for (const auto& s : h.signals) {
        labels.push_back(s.label);
        is_signal.push_back(!s.is_annotation);
      }
      try {
        const MontagePlan plan = plan_montage(labels, is_signal, MontageKind::kAuto);
        ++mapped;
        if (path.find("/01_tcp_ar/") != std::string::npos) {
          ++tusz_ar;
          EXPECT_EQ(plan.kind, MontageKind::kTcp22) << path;
          EXPECT_EQ(plan.channels.size(), 22U) << path;
        }
      } catch (const std::invalid_argument& e) {
        const std::string why = e.what();
        EXPECT_TRUE(why.starts_with("cannot form the tcp2")) << path << ": " << why;
        EXPECT_EQ(path.find("/01_tcp_ar/"), std::string::npos) << path << ": " << why;
        ++reasons[why];
      }
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos)
          << "error must name the file: " << e.what();
      ++reasons[e.what()];
    }
  }
  EXPECT_GT(files, 300U);
  EXPECT_GT(tusz_ar, 100U);
  for (const auto& [why, n] : reasons) std::cout << "  " << n << " x " << why << "\n";
  std::cout << files << " files, " << mapped << " mapped, " << tusz_ar << " TUSZ 01_tcp_ar\n";
}

}  // namespace
}  // namespace streamdx
