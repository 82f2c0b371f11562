#include "runtime/ProgressBar.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace streamdx {

ProgressBar::ProgressBar()
    : tty_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void ProgressBar::update(double fraction, const std::string& label, const std::string& detail,
                         bool milestone) {
  const auto now = std::chrono::steady_clock::now();
  if (tty_ && !milestone && drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  if (!tty_ && !milestone) return;
  last_draw_ = now;
  drawn_ = true;
  fraction = std::clamp(fraction, 0.0, 1.0);
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
  constexpr int kWidth = 24;
  const int filled = static_cast<int>(fraction * kWidth);
  const std::string bar = std::string(static_cast<std::size_t>(filled), '#') +
                          std::string(static_cast<std::size_t>(kWidth - filled), '.');
  const std::string line =
      fmt::format("{} [{}] {:3.0f}% {} ETA {:d}:{:02d}", label, bar, fraction * 100, detail,
                  static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
  std::fprintf(stderr, tty_ ? "\r%s\033[K" : "%s\n", line.c_str());
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (tty_ && drawn_) std::fputc('\n', stderr);
  drawn_ = false;
}

}  // namespace streamdx
