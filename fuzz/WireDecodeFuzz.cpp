// Fuzzes the wire decoder (every message kind, EPR images included) and the frame-file reader's
// framing: any byte string must either decode
// or throw WireError, never crash, hang or read out of bounds.
#include <cstring>

#include "FuzzTarget.hpp"
#include "io/WireFormat.hpp"

using namespace streamdx;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  try {
    (void)wire::message_size(bytes);
  } catch (const wire::WireError&) {
  }
  try {
    const wire::Message m = wire::decode(bytes);
    if (const auto* f = std::get_if<Frame>(&m)) {
      // A decoded frame must be self-consistent and re-encode to the same bytes.
      if (f->samples.size() != f->shape.sample_count()) __builtin_trap();
      std::vector<std::uint8_t> again;
      wire::encode(*f, again);
      if (again.size() != size) __builtin_trap();
    }
    if (const auto* image = std::get_if<wire::EprImage>(&m)) {
      // A decoded EPR image holds side^dimensions pixels and re-encodes to the same size.
      std::vector<std::uint8_t> again;
      wire::encode(*image, again);
      if (again.size() != size) __builtin_trap();
    }
  } catch (const wire::WireError&) {
  }
  return 0;
}

std::vector<std::vector<std::uint8_t>> fuzz_seeds() {
  std::vector<std::vector<std::uint8_t>> seeds(5);
  Frame f;
  f.sequence = 3;
  f.reshape({2, 4});
  for (std::size_t i = 0; i < f.samples.size(); ++i) f.samples[i] = static_cast<float>(i);
  f.stamp("source", 1);
  wire::encode(f, seeds[0]);
  wire::encode(wire::EndOfStream{1, 4}, seeds[1]);
  wire::encode(wire::UpstreamError{1, "stage 'x': failed"}, seeds[2]);
  wire::encode(wire::StreamHeader{1, 256.0, {"EEG FP1-REF", "EEG F7-REF"}}, seeds[3]);
  wire::EprImage image;
  image.side = 4;
  image.fov_cm = 3;
  image.image.assign(16, 0.5F);
  image.projection_index = 2;
  image.projection = {1.0F, -1.0F, 0.0F};
  wire::encode(image, seeds[4]);
  return seeds;
}
