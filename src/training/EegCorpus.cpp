#include "training/EegCorpus.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>

#include "core/SharedLibrary.hpp"
#include "io/SeizureAnnotations.hpp"
#include "io/TextParsing.hpp"
#include "runtime/FrameEndpoints.hpp"

namespace streamdx {

std::filesystem::path default_data_root() {
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read once, before any thread starts
  if (const char* env = std::getenv("STREAMDX_DATA"); env != nullptr && *env != '\0') return env;
  return executable_dir().parent_path().parent_path() / "shared" / "data";
}

int LabelledRecording::epoch_label(double start_s) const {
  if (seizures.empty()) return seizure ? 1 : 0;
  double inside = 0;
  for (const auto& [a, b] : seizures) {
    inside += std::max(0.0, std::min(b, start_s + 1.0) - std::max(a, start_s));
  }
  return inside >= 0.5 ? 1 : 0;
}

namespace {

char bonn_prefix(char set) {
  switch (set) {
    case 'A': return 'Z';
    case 'B': return 'O';
    case 'C': return 'N';
    case 'D': return 'F';
    case 'E': return 'S';
    default: throw std::invalid_argument(fmt::format("Bonn set '{}': expected A to E", set));
  }
}

}  // namespace

std::vector<LabelledRecording> bonn_segments(const std::filesystem::path& root,
                                             const std::string& sets, int first, int last) {
  std::vector<LabelledRecording> out;
  for (const char set : sets) {
    const std::filesystem::path dir = root / std::string(1, set);
    if (!std::filesystem::is_directory(dir)) {
      throw std::runtime_error(fmt::format("{}: Bonn set {} not found", dir.string(), set));
    }
    for (int n = first; n <= last; ++n) {
      // Set C's files end in .TXT, the others in .txt.
      const std::string want = lower_ascii(fmt::format("{}{:03}.txt", bonn_prefix(set), n));
      std::filesystem::path found;
      for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (lower_ascii(entry.path().filename().string()) == want) found = entry.path();
      }
      if (found.empty()) {
        throw std::runtime_error(fmt::format("{}: Bonn segment {} is missing", dir.string(), want));
      }
      LabelledRecording r;
      r.path = found;
      r.set = std::string(1, set);
      r.segment = n;
      r.seizure = set == 'E';
      out.push_back(std::move(r));
    }
  }
  return out;
}

std::vector<LabelledRecording> annotated_recordings(const std::filesystem::path& root) {
  if (!std::filesystem::is_directory(root)) {
    throw std::runtime_error(fmt::format("{}: corpus directory not found", root.string()));
  }
  std::vector<std::filesystem::path> edfs;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (is_edf_path(entry.path().string())) edfs.push_back(entry.path());
  }
  std::sort(edfs.begin(), edfs.end());
  std::vector<LabelledRecording> annotated;
  for (const auto& edf : edfs) {
    const auto found = find_seizure_annotations(edf);
    if (!found) continue;
    for (const std::string& w : found->warnings) spdlog::warn("{}", w);
    LabelledRecording r;
    r.path = edf;
    r.seizures = found->seizures;
    annotated.push_back(std::move(r));
  }
  if (annotated.empty()) {
    throw std::runtime_error(fmt::format(
        "{}: no .edf recording with seizure annotations (csv_bi, CHB-MIT summary, Siena list, "
        "SeizeIT _a1.tsv, BIDS _events.tsv)",
        root.string()));
  }
  return annotated;
}

}  // namespace streamdx
