// Fuzzes the csv_bi reader (TUSZ / NEDC annotation files): any text must parse or fail with an
// error naming the line, never crash.
#include <string_view>

#include "FuzzTarget.hpp"
#include "io/CsvBiAnnotations.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const streamdx::CsvBiFile f = streamdx::parse_csv_bi(
        std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.csv_bi");
    (void)f.intervals("seiz");
  } catch (const std::exception&) {
  }
  return 0;
}

std::vector<std::vector<std::uint8_t>> fuzz_seeds() {
  const std::string_view text =
      "# version = csv_v1.0.0\n# bname = aaaaaool_s004_t002\n# duration = 720.00 secs\n#\n"
      "channel,start_time,stop_time,label,confidence\n"
      "TERM,224.0071,258.9804,seiz,1.0000\nTERM,408.9508,430.9425,seiz,1.0000\n";
  return {std::vector<std::uint8_t>(text.begin(), text.end())};
}
