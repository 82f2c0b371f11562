#pragma once
// `streamdx epr ...`: the group its commands register under (EprGroup.cpp describes it).
#include <string_view>

namespace streamdx {

inline constexpr std::string_view kEprGroup = "epr";

}  // namespace streamdx
