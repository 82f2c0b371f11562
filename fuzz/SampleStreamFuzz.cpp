// Fuzzes the stdin/file sample-stream parser: the raw header line (float32 / int16, rate,
// labels) and its binary samples, and CSV / one-value-a-line text with "# rate=" lines. The first
// byte sets the size of the pieces the rest arrives in (pipes deliver short reads anywhere).
// Any input must parse or fail with an error naming the stream, never crash or hang.
#include <algorithm>
#include <string_view>

#include "FuzzTarget.hpp"
#include "io/SampleStreamParser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t piece = 1 + data[0] % 64;
  std::span<const std::uint8_t> rest(data + 1, size - 1);
  try {
    streamdx::SampleStreamParser parser("fuzz", data[0] % 2 == 0 ? 250.0 : 0.0, "EEG");
    std::vector<float> planar;
    while (!rest.empty()) {
      const std::size_t n = std::min(piece, rest.size());
      parser.feed(rest.first(n));
      rest = rest.subspan(n);
      if (parser.available() > 0) parser.take(parser.available(), planar);
    }
    parser.finish();
    if (parser.available() > 0) parser.take(parser.available(), planar);
  } catch (const std::exception&) {
  }
  return 0;
}

std::vector<std::vector<std::uint8_t>> fuzz_seeds() {
  std::vector<std::uint8_t> raw =
      byte_then_text(7, "streamdx-raw 1;type=float32;rate=250;channels=FP1,F7\n");
  for (int i = 0; i < 16; ++i) raw.push_back(static_cast<std::uint8_t>(i * 13));
  return {byte_then_text(3, "# rate=256\nFP1,F7,T3\n1.5,2,3\n4,5,-6e1\n"),
          byte_then_text(1, "13.0\n14.0\n-2\n"), raw};
}
