#include "training/DelhiStreams.hpp"

#include <fmt/format.h>

#include <stdexcept>
#include <string>

#include "core/Random.hpp"
#include "training/SegmentStreams.hpp"

namespace streamdx {

namespace {

constexpr std::uint64_t kShuffleSalt = 0xde1a1e5eedULL;

std::vector<SegmentFile> class_segments(const std::filesystem::path& root, const std::string& name,
                                        int first, int last) {
  std::vector<SegmentFile> out;
  for (int n = first; n <= last; ++n) {
    const std::filesystem::path p = root / name / fmt::format("{}{:02}.txt", name, n);
    if (!std::filesystem::is_regular_file(p)) {
      throw std::runtime_error(fmt::format("{}: Delhi segment missing", p.string()));
    }
    out.push_back(SegmentFile{p, name == "ictal"});
  }
  return out;
}

// Fisher-Yates with the project's portable generator: the same order on every platform.
void shuffle(std::vector<SegmentFile>& v, SplitMix64& rng) {
  for (std::size_t i = v.size(); i > 1; --i) {
    const auto j = static_cast<std::size_t>(rng.uniform() * static_cast<double>(i));
    std::swap(v[i - 1], v[std::min(j, i - 1)]);
  }
}

// Stream s of a shuffle takes the next kOnsetBackground and kOnsetIctal segments, cyclically, so
// that every segment appears and the streams keep their lengths.
std::vector<SegmentFile> onset_stream(const std::vector<SegmentFile>& background,
                                      const std::vector<SegmentFile>& ictal, std::size_t s) {
  std::vector<SegmentFile> out;
  for (std::size_t i = 0; i < kOnsetBackground; ++i) {
    out.push_back(background[(s * kOnsetBackground + i) % background.size()]);
  }
  for (std::size_t i = 0; i < kOnsetIctal; ++i) {
    out.push_back(ictal[(s * kOnsetIctal + i) % ictal.size()]);
  }
  return out;
}

}  // namespace

std::vector<LabelledRecording> delhi_streams(const DelhiStreamPlan& plan, int first, int last,
                                             int shuffles) {
  if (!std::filesystem::is_directory(plan.delhi_root)) {
    throw std::runtime_error(fmt::format("{}: Delhi data not found", plan.delhi_root.string()));
  }
  const auto ictal = class_segments(plan.delhi_root, "ictal", first, last);
  const auto interictal = class_segments(plan.delhi_root, "interictal", first, last);
  const auto preictal = class_segments(plan.delhi_root, "preictal", first, last);
  const std::string block = fmt::format("delhi-{:02}-{:02}", first, last);
  // A folder per block and part, so that each is a corpus of its own for `evaluate --corpus`.
  const std::filesystem::path dir =
      plan.out_dir / block / (shuffles == 1 ? "validation" : "training");
  std::filesystem::create_directories(dir);
  SplitMix64 rng(plan.seed ^ (kShuffleSalt + static_cast<std::uint64_t>(first)));
  std::vector<LabelledRecording> out;
  for (int k = 1; k <= shuffles; ++k) {
    std::vector<SegmentFile> background = interictal;
    background.insert(background.end(), preictal.begin(), preictal.end());
    std::vector<SegmentFile> seizure = ictal;
    shuffle(background, rng);
    shuffle(seizure, rng);
    const std::size_t streams = (background.size() + kOnsetBackground - 1) / kOnsetBackground;
    for (std::size_t s = 0; s < streams; ++s) {
      out.push_back(join_segments(onset_stream(background, seizure, s), kDelhiRateHz,
                                  dir / fmt::format("{}-onset-{}-{}.txt", block, k, s + 1)));
    }
  }
  for (const auto* segments : {&interictal, &preictal, &ictal}) {
    std::vector<SegmentFile> one_class = *segments;
    shuffle(one_class, rng);
    const std::string name = one_class[0].path.parent_path().filename().string();
    out.push_back(
        join_segments(one_class, kDelhiRateHz, dir / fmt::format("{}-{}.txt", block, name)));
  }
  return out;
}

std::vector<LabelledRecording> bonn_onset_streams(const DelhiStreamPlan& plan, int first,
                                                  int last) {
  const std::filesystem::path dir = plan.out_dir / fmt::format("bonn-{:03}-{:03}", first, last);
  std::filesystem::create_directories(dir);
  std::vector<LabelledRecording> out;
  for (int n = first; n <= last; ++n) {
    std::vector<SegmentFile> parts;
    for (const char set : std::string("CDE")) {
      const LabelledRecording r = bonn_segments(plan.bonn_root, std::string(1, set), n, n).at(0);
      parts.push_back(SegmentFile{r.path, r.seizure});
    }
    out.push_back(join_segments(parts, kBonnRateHz, dir / fmt::format("bonn-onset-{:03}.txt", n)));
  }
  return out;
}

}  // namespace streamdx
