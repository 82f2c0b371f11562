#pragma once
// A real X server for GUI tests: Xvfb on a free display number (it picks one and reports it
// through -displayfd), exported as DISPLAY for this process and its children, stopped by PID.
#include <sys/types.h>

#include <string>

namespace streamdx::testing {

class XvfbServer {
 public:
  XvfbServer(int width = 1600, int height = 1000);
  ~XvfbServer();
  XvfbServer(const XvfbServer&) = delete;
  XvfbServer& operator=(const XvfbServer&) = delete;

  [[nodiscard]] const std::string& display() const noexcept { return display_; }

 private:
  pid_t pid_ = -1;
  std::string display_;
};

}  // namespace streamdx::testing
