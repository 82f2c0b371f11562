// Fuzzes the config loader: a user's TOML file must load or fail with an error, never crash.
#include <string_view>

#include "FuzzTarget.hpp"
#include "core/Config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  streamdx::Config config;
  try {
    config.merge_text(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
    (void)config.to_toml();
  } catch (const std::exception&) {
  }
  return 0;
}

std::vector<std::vector<std::uint8_t>> fuzz_seeds() {
  const std::string_view text =
      "[pipeline]\nring_capacity = 8\nring_policy = \"drop-oldest\"\n[simulate]\nseed = 3\n"
      "duration_s = 1.5\n[zmq]\nallow_public_bind = false\n";
  return {std::vector<std::uint8_t>(text.begin(), text.end())};
}
