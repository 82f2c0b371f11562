// Fuzzes what an EPR acquisition's receiver reads (issue 26: "EPR's projection messages"): a byte
// stream of wire messages, split by their prefixes, each decoded, and every projection checked
// against the header that came first. Any bytes must parse or fail with one error, never crash.
#include <optional>
#include <span>

#include "FuzzTarget.hpp"
#include "io/WireFormat.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace wire = streamdx::wire;
  std::span<const std::uint8_t> rest(data, size);
  std::optional<wire::EprHeader> header;
  try {
    while (rest.size() >= wire::kPrefixBytes) {
      const std::size_t n = wire::message_size(rest);
      if (n > rest.size()) break;
      wire::Message m = wire::decode(rest.first(n));
      rest = rest.subspan(n);
      if (auto* h = std::get_if<wire::EprHeader>(&m)) {
        header = std::move(*h);
      } else if (const auto* p = std::get_if<wire::EprProjection>(&m); p != nullptr && header) {
        wire::check_projection(*header, *p);
      }
    }
  } catch (const std::exception&) {
  }
  return 0;
}

std::vector<std::vector<std::uint8_t>> fuzz_seeds() {
  namespace wire = streamdx::wire;
  wire::EprHeader h;
  h.projections = 2;
  h.field = {3400.0F, 3400.5F, 3401.0F, 3401.5F};
  h.reference_field = {3399.0F, 3400.0F, 3401.0F};
  h.reference = {0.0F, 1.0F, -1.0F};
  h.source = "seed";
  std::vector<std::uint8_t> bytes;
  wire::encode(h, bytes);
  for (std::uint32_t i = 0; i < 2; ++i) {
    wire::EprProjection p;
    p.index = i;
    p.gradient_g_per_cm = {10.0 * i, 5.0, 0.0};
    p.values = {0.1F, -0.2F, 0.3F, 0.0F};
    wire::encode(p, bytes);
  }
  wire::encode(wire::EndOfStream{0, 2}, bytes);
  return {bytes};
}
