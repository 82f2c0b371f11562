// Fuzzes the seizure-annotation readers of the free corpora (CHB-MIT summary, Siena list,
// SeizeIT _a1.tsv, BIDS _events.tsv): any text must parse or fail with an error naming the file,
// never crash, hang or allocate without bound. The first byte picks the reader.
#include <algorithm>
#include <string>

#include "FuzzTarget.hpp"
#include "io/SeizureAnnotations.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    switch (data[0] % 4) {
      case 0: (void)streamdx::parse_chbmit_summary(text, "fuzz-summary.txt", "chb01_03.edf"); break;
      case 1: (void)streamdx::parse_siena_list(text, "Seizures-list-PN00.txt", "PN00-1.edf"); break;
      case 2: (void)streamdx::parse_seizeit_tsv(text, "fuzz_a1.tsv"); break;
      default: (void)streamdx::parse_bids_events(text, "fuzz_events.tsv"); break;
    }
  } catch (const std::exception&) {
  }
  return 0;
}

std::vector<std::vector<std::uint8_t>> fuzz_seeds() {
  return {byte_then_text(0,
                         "File Name: chb01_03.edf\nNumber of Seizures in File: 1\n"
                         "Seizure Start Time: 2996 seconds\nSeizure End Time: 3036 seconds\n"),
          byte_then_text(1,
                         "Seizure n 1\nFile name: PN00-1.edf\nRegistration start time: 19.39.33\n"
                         "Registration end time:  20.22.58\nSeizure start time: 19.58.36\n"
                         "Seizure end time: 19.59.46\n"),
          byte_then_text(2, "# Source: SeizeIt1\n\n8971\tNone\tFIA\tHem:L\n1949\t1980\tFIA\tx\n"),
          byte_then_text(
              3, "onset\tduration\teventType\trecordingDuration\n296.0\t40.5\tsz_foc\t3600\n"),
          // tests/fuzz/regressions/seizure_annotations/clock-field-overflows-int: an 11-digit
          // hour overflowed int while it was read (UBSan, found by a 10-minute run).
          byte_then_text(1,
                         "Seizure n 1\nFile name: PN00-1.edf\nRegistration start time: "
                         "66666666666.39.33\nRegistration end time:  20.22.58\n"
                         "Seizure start time: 19.58.36\nSeizure end time: 19.59.46\n")};
}
