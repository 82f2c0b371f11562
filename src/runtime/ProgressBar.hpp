#pragma once
// A progress bar for long commands, on stderr: redrawn in place (at most 10 times a second)
// when stderr is a terminal, one line per finished epoch otherwise (logs, CI).
#include <chrono>
#include <string>

namespace streamdx {

class ProgressBar {
 public:
  ProgressBar();
  // `fraction` of all the work is done; `label` says where ("epoch 3/60"), `detail` how it goes.
  void update(double fraction, const std::string& label, const std::string& detail, bool milestone);
  void finish();

 private:
  bool tty_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  bool drawn_ = false;
};

}  // namespace streamdx
