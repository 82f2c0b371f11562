#pragma once
// Loads a finished run for replay from its files alone: the EDF+ signal file `streamdx run`
// wrote (any EDF whose signals share one rate will do) and its HYP file.
#include <filesystem>

#include "gui/ViewerModel.hpp"

namespace streamdx {

// Throws std::runtime_error naming the file and what is wrong with it.
ViewerModel load_replay(const std::filesystem::path& signal_path,
                        const std::filesystem::path& hyp_path);

}  // namespace streamdx
