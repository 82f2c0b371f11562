#include "apps/ModelLoading.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <fstream>
#include <stdexcept>
#include <vector>

#include "core/SharedLibrary.hpp"

namespace streamdx {

std::filesystem::path resolve_model_path(const std::string& spec) {
  std::filesystem::path p(spec);
  if (p.is_absolute() || std::filesystem::exists(p)) return p;
  std::filesystem::path beside_checkout = executable_dir().parent_path() / p;
  if (std::filesystem::exists(beside_checkout)) return beside_checkout;
  return p;  // the loader then says it is missing, under the name the user gave
}

std::shared_ptr<SeizureModel> load_seizure_model(const Config& config, const std::string& path) {
  const std::string device = config.get_string("decoder.device");
  TorchDevice d = TorchDevice::kAuto;
  if (device == "cpu") {
    d = TorchDevice::kCpu;
  } else if (device == "cuda") {
    d = TorchDevice::kCuda;
  } else if (device != "auto") {
    throw std::invalid_argument(
        fmt::format("decoder.device = '{}': expected auto, cpu or cuda", device));
  }
  TorchBackend& torch = torch_backend();
  torch.set_threads(static_cast<int>(config.get_int("decoder.threads")));
  return torch.load_model(
      resolve_model_path(path.empty() ? config.get_string("decoder.model") : path).string(), d);
}

std::string sha256_file(const std::filesystem::path& path) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot open", path.string()));
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = static_cast<unsigned long long>(in.gcount());
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(buf.data()), n);
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  std::string hex;
  for (const unsigned char b : digest) hex += fmt::format("{:02x}", b);
  return hex;
}

}  // namespace streamdx
