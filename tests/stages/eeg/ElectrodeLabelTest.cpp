#include "stages/eeg/ElectrodeLabel.hpp"

#include <gtest/gtest.h>

namespace streamdx {
namespace {

std::string terms(std::string_view label) {
  const auto t = parse_eeg_label(label);
  return t ? t->positive + "-" + t->negative : "not EEG";
}

TEST(ElectrodeLabel, UsualReferentialSpellings) {
  EXPECT_EQ(terms("EEG FP1-REF"), "FP1-REF");
  EXPECT_EQ(terms("EEG FP1-LE"), "FP1-REF");
  EXPECT_EQ(terms("FP1"), "FP1-REF");
  EXPECT_EQ(terms("Fp1"), "FP1-REF");
  EXPECT_EQ(terms("EEG Fp2-Ref"), "FP2-REF");
  EXPECT_EQ(terms("EEG Cz"), "CZ-REF");
  EXPECT_EQ(terms("Fc5."), "FC5-REF");
  EXPECT_EQ(terms("  c3  "), "C3-REF");
}

TEST(ElectrodeLabel, ModernNamesMapToTheOldOnes) {
  EXPECT_EQ(terms("T7"), "T3-REF");
  EXPECT_EQ(terms("EEG T8-REF"), "T4-REF");
  EXPECT_EQ(terms("P7-O1"), "T5-O1");
  EXPECT_EQ(terms("T8-P8"), "T4-T6");
}

TEST(ElectrodeLabel, BipolarLabels) {
  EXPECT_EQ(terms("FP1-F7"), "FP1-F7");
  EXPECT_EQ(terms("FT9-FT10"), "FT9-FT10");
  EXPECT_EQ(terms("CZ-PZ"), "CZ-PZ");
}

TEST(ElectrodeLabel, NonEegChannelsAreRecognisedAsSuch) {
  for (const char* l : {"EEG EKG1-REF",
                        "ECG",
                        "EKG EKG",
                        "SPO2",
                        "HR",
                        "Status",
                        "EDF Annotations",
                        "EEG ROC-REF",
                        "EMG-REF",
                        "PHOTIC-REF",
                        "EEG 26-REF",
                        "OorLiAchter",
                        "Sph1",
                        "A",
                        "1",
                        "MK",
                        "FP1-F7-T3",
                        "F3-F3",
                        "T0",
                        "F01"}) {
    EXPECT_FALSE(parse_eeg_label(l)) << l;
  }
}

}  // namespace
}  // namespace streamdx
