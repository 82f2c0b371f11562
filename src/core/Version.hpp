#pragma once
// The version of this build, for output headers ("streamdx X.Y.Z") and `streamdx version`.
#include <string_view>

namespace streamdx {

std::string_view version_string();
std::string_view git_describe();  // the commit the build came from

}  // namespace streamdx
