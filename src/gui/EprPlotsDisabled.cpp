// Built instead of EprPlots.cpp when STREAMDX_WITH_GUI=OFF.
#include <stdexcept>

#include "gui/EprPlots.hpp"

namespace streamdx {

void write_epr_image_png(const std::string& path, std::span<const float> /*image*/,
                         std::size_t /*n*/, double /*fov_mm*/, const std::string& /*title*/,
                         const std::string& /*axes*/) {
  throw std::runtime_error(path + ": images need the Qt GUI, and this build has none");
}

void write_epr_residual_png(const std::string& path, const std::vector<double>& /*per_projection*/,
                            const std::vector<double>& /*per_iteration*/,
                            const std::string& /*title*/) {
  throw std::runtime_error(path + ": plots need the Qt GUI, and this build has none");
}

}  // namespace streamdx
