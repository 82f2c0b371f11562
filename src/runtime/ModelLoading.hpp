#pragma once
// Finding and loading the seizure model named by the [decoder] config section.
#include <filesystem>
#include <memory>
#include <string>

#include "core/Config.hpp"
#include "stages/decoder/SeizureModel.hpp"

namespace streamdx {

// `spec` as given when it exists, else relative to the checkout the binary was built in.
std::filesystem::path resolve_model_path(const std::string& spec);

// Loads decoder.model (or `path` when not empty) on decoder.device with decoder.threads, run by
// decoder.engine: "auto" is the native LSTM on the CPU (NativeLstmModel.hpp) and TorchScript on
// a GPU or for models the native engine does not implement.
std::shared_ptr<SeizureModel> load_seizure_model(const Config& config,
                                                 const std::string& path = {});

// The model file's SHA-256, lower-case hex.
std::string sha256_file(const std::filesystem::path& path);

}  // namespace streamdx
