#pragma once
#include <string>

namespace streamdx {

// The Qt version the visualizer runs on, or an empty string in a build without the GUI.
std::string qt_version();

}  // namespace streamdx
