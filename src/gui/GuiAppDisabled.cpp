// Built instead of GuiApp.cpp when STREAMDX_WITH_GUI=OFF.
#include <spdlog/spdlog.h>

#include "gui/GuiApp.hpp"

namespace streamdx {

int run_gui(const GuiOptions& /*options*/) {
  spdlog::error("this streamdx was built without the GUI (STREAMDX_WITH_GUI=OFF)");
  return 1;
}

}  // namespace streamdx
