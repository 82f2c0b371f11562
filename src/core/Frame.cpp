#include "core/Frame.hpp"

#include <algorithm>

namespace streamdx {

void Frame::stamp(std::string_view stage, MonoNs t_ns) noexcept {
  if (stamp_count >= kMaxStamps) {
    stamps_overflowed = true;
    return;
  }
  StageStamp& s = stamps[stamp_count++];
  s.name.fill('\0');
  const std::size_t n = std::min(stage.size(), StageStamp::kNameCapacity);
  std::copy_n(stage.data(), n, s.name.data());
  s.t_ns = t_ns;
}

}  // namespace streamdx
