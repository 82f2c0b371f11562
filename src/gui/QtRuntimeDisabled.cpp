// Built instead of QtRuntime.cpp when STREAMDX_WITH_GUI=OFF.
#include "gui/QtRuntime.hpp"

namespace streamdx {

std::string qt_version() {
  return {};
}

}  // namespace streamdx
