#include "runtime/EpochLog.hpp"

#include <fstream>
#include <stdexcept>

#include "stages/eeg/DecisionRecord.hpp"

namespace streamdx {

EpochLog::EpochLog(const std::filesystem::path& scratch) : scratch_(scratch) {}

void EpochLog::record(const Frame& decision) {
  record_decision(decision, tail_);
  if (tail_.size() > 2 * kTail) settle(kTail);
}

void EpochLog::settle(std::size_t keep) {
  const std::size_t n = tail_.size() > keep ? tail_.size() - keep : 0;
  std::string lines;
  for (std::size_t i = 0; i < n; ++i) {
    lines += hyp_line(tail_[i]);
    segments_.add(tail_[i]);
  }
  scratch_.write(lines);
  tail_.erase(tail_.begin(), tail_.begin() + static_cast<std::ptrdiff_t>(n));
  flushed_ += n;
}

std::vector<LabelledSegment> EpochLog::segments(double duration_s) {
  settle(0);
  return segments_.finish(duration_s);
}

void EpochLog::write_hyp(const std::filesystem::path& hyp,
                         const std::vector<std::string>& comments) {
  settle(0);
  scratch_.flush();
  AtomicFile out(hyp);
  out.write(hyp_header(comments));
  const std::filesystem::path part = scratch_.path().string() + ".part";
  std::ifstream in(part, std::ios::binary);
  if (!in) throw std::runtime_error(part.string() + ": cannot read back the epoch lines");
  std::vector<char> buffer(std::size_t{1} << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    out.write(std::string_view(buffer.data(), got));
  }
  out.commit();
}

}  // namespace streamdx
