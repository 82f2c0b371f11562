#include "gui/ViewerModel.hpp"

#include <algorithm>

namespace streamdx {

std::optional<OpenEvent> open_event_at(const std::vector<EpochDecision>& epochs, double t_s) {
  // The last epoch that starts at or before t_s.
  const auto after =
      std::upper_bound(epochs.begin(), epochs.end(), t_s,
                       [](double t, const EpochDecision& e) { return t < e.start_s; });
  if (after == epochs.begin()) return std::nullopt;
  auto it = std::prev(after);
  if (!it->seizure) return std::nullopt;
  const double confidence = it->confidence;
  while (it != epochs.begin() && std::prev(it)->seizure &&
         std::prev(it)->stop_s >= it->start_s - 1e-6) {
    --it;
  }
  return OpenEvent{it->start_s, confidence};
}

std::vector<std::pair<double, double>> seizure_events(const std::vector<EpochDecision>& epochs) {
  std::vector<std::pair<double, double>> out;
  if (epochs.empty()) return out;
  for (const LabelledSegment& s : label_segments(epochs, epochs.back().stop_s)) {
    if (s.seizure) out.emplace_back(s.start_s, s.stop_s);
  }
  return out;
}

}  // namespace streamdx
