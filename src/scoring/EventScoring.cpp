#include "scoring/EventScoring.hpp"

#include <algorithm>
#include <cmath>

namespace streamdx {

namespace {

bool overlaps(const Interval& a, const Interval& b) {
  return a.first < b.second && b.first < a.second;
}

// NEDC's TAES pairs a reference with a hypothesis when their whole-second spans share a second:
// [floor(start), floor(stop)] inclusive (its anyovlp()). That is looser than sharing time: events
// that touch, or lie less than a second apart, pair too, once the reference has some hypothesis
// that really overlaps it.
bool share_a_second(const Interval& a, const Interval& b) {
  return std::floor(a.first) <= std::floor(b.second) && std::floor(b.first) <= std::floor(a.second);
}

// TAES credit of one hypothesis against one reference: (hit, false alarm), in units of the
// reference's duration, case by case as NEDC's calc_hf() takes them. The hit may be zero or even
// negative for a pair that shares a second but no time; NEDC adds it as it is.
std::pair<double, double> hit_and_false_alarm(const Interval& r, const Interval& h) {
  const double dur = r.second - r.first;
  if (h.first <= r.first && h.second <= r.second) {  // starts early, ends inside
    return {(h.second - r.first) / dur, std::min(1.0, (r.first - h.first) / dur)};
  }
  if (h.first >= r.first && h.second >= r.second) {  // starts inside, ends late
    return {(r.second - h.first) / dur, std::min(1.0, (h.second - r.second) / dur)};
  }
  if (h.first < r.first && h.second > r.second) {  // covers it
    return {1.0, std::min(1.0, ((h.second - r.second) + (r.first - h.first)) / dur)};
  }
  return {(h.second - h.first) / dur, 0.0};  // inside it
}

}  // namespace

EventCounts score_ovlp(const std::vector<Interval>& ref, const std::vector<Interval>& hyp) {
  EventCounts c;
  for (const Interval& r : ref) {
    const bool hit =
        std::any_of(hyp.begin(), hyp.end(), [&](const Interval& h) { return overlaps(r, h); });
    (hit ? c.hits : c.misses) += 1;
  }
  for (const Interval& h : hyp) {
    const bool matched =
        std::any_of(ref.begin(), ref.end(), [&](const Interval& r) { return overlaps(r, h); });
    if (!matched) c.false_alarms += 1;
  }
  return c;
}

EventCounts score_taes(const std::vector<Interval>& ref, const std::vector<Interval>& hyp) {
  // The order of NEDC v6.0.0's compute(): a reference is taken up when some hypothesis overlaps
  // it in time and it is still open; then every open hypothesis that shares a second with it is
  // scored against it, in order, without re-checking whether the reference is still open.
  EventCounts c;
  std::vector<bool> ref_open(ref.size(), true);
  std::vector<bool> hyp_open(hyp.size(), true);
  for (std::size_t i = 0; i < ref.size(); ++i) {
    const bool taken_up =
        ref_open[i] &&
        std::any_of(hyp.begin(), hyp.end(), [&](const Interval& h) { return overlaps(ref[i], h); });
    if (!taken_up) continue;
    for (std::size_t j = 0; j < hyp.size(); ++j) {
      if (!hyp_open[j] || !share_a_second(ref[i], hyp[j])) continue;
      auto [hit, fa] = hit_and_false_alarm(ref[i], hyp[j]);
      double miss = 1.0 - hit;
      ref_open[i] = false;
      hyp_open[j] = false;
      if (hyp[j].second >= ref[i].second) {
        // The hypothesis runs to or past this reference's end: later references it pairs with
        // are whole misses (one hypothesis detects one event).
        for (std::size_t k = i + 1; k < ref.size(); ++k) {
          if (share_a_second(ref[k], hyp[j])) {
            ref_open[k] = false;
            miss += 1.0;
          }
        }
      } else {
        // The reference runs past this hypothesis: later hypotheses it pairs with add up.
        for (std::size_t k = j + 1; k < hyp.size(); ++k) {
          if (share_a_second(ref[i], hyp[k])) {
            hyp_open[k] = false;
            const auto [h2, f2] = hit_and_false_alarm(ref[i], hyp[k]);
            hit += h2;
            miss -= h2;
            fa += f2;
          }
        }
      }
      c.hits += hit;
      c.misses += miss;
      c.false_alarms += fa;
    }
  }
  for (const bool open : ref_open) c.misses += open ? 1.0 : 0.0;
  for (const bool open : hyp_open) c.false_alarms += open ? 1.0 : 0.0;
  return c;
}

namespace {

// One file's labels as NEDC lays them out: the seizure events in time order with background
// filling the gaps from 0 to the file's duration, each entry closed at both ends.
struct TimelineEntry {
  double start;
  double stop;
  bool seizure;
};

std::vector<TimelineEntry> timeline(std::vector<Interval> events, double duration_s) {
  std::sort(events.begin(), events.end());
  std::vector<TimelineEntry> out;
  double cursor = 0;
  for (const auto& [a, b] : events) {
    if (a > cursor) out.push_back({cursor, a, false});
    out.push_back({a, b, true});
    cursor = std::max(cursor, b);
  }
  if (cursor < duration_s) out.push_back({cursor, duration_s, false});
  return out;
}

// Walks a timeline with non-decreasing times; the label at t is that of the first entry whose
// closed span holds t (NEDC's time_to_index), so at a boundary the earlier entry wins.
class TimelineCursor {
 public:
  explicit TimelineCursor(std::vector<TimelineEntry> entries) : entries_(std::move(entries)) {}
  bool seizure_at(double t) {
    while (at_ < entries_.size() && entries_[at_].stop < t) ++at_;
    return at_ < entries_.size() && entries_[at_].start <= t && entries_[at_].seizure;
  }

 private:
  std::vector<TimelineEntry> entries_;
  std::size_t at_ = 0;
};

}  // namespace

EventCounts score_epochs(const std::vector<Interval>& ref, const std::vector<Interval>& hyp,
                         double duration_s, double epoch_s) {
  TimelineCursor r(timeline(ref, duration_s));
  TimelineCursor h(timeline(hyp, duration_s));
  EventCounts c;
  // NEDC's sampling: t = epoch/2 + i * epoch while t <= the duration, computed this way (not by
  // accumulation) so that the times are the same to the last bit.
  const double half = epoch_s / 2.0;
  for (std::size_t i = 0;; ++i) {
    const double t = half + static_cast<double>(i) * epoch_s;
    if (t > duration_s) break;
    const bool in_ref = r.seizure_at(t);
    const bool in_hyp = h.seizure_at(t);
    if (in_ref && in_hyp) c.hits += 1;
    if (in_ref && !in_hyp) c.misses += 1;
    if (!in_ref && in_hyp) c.false_alarms += 1;
  }
  return c;
}

std::vector<double> onset_latencies(const std::vector<Interval>& ref,
                                    const std::vector<Interval>& hyp) {
  std::vector<double> out;
  for (const Interval& r : ref) {
    double first = 0;
    bool found = false;
    for (const Interval& h : hyp) {
      if (!overlaps(r, h)) continue;
      if (!found || h.first < first) first = h.first;
      found = true;
    }
    if (found) out.push_back(first - r.first);
  }
  return out;
}

EventMetrics event_metrics(const EventCounts& c, double total_duration_s) {
  EventMetrics m;
  m.counts = c;
  const double ref_events = c.hits + c.misses;
  const double detections = c.hits + c.false_alarms;
  m.sensitivity = ref_events > 0 ? c.hits / ref_events : 0.0;
  m.precision = detections > 0 ? c.hits / detections : 0.0;
  m.f1 = (m.sensitivity + m.precision) > 0
             ? 2 * m.sensitivity * m.precision / (m.sensitivity + m.precision)
             : 0.0;
  m.false_alarms_per_24h = total_duration_s > 0 ? c.false_alarms * 86400.0 / total_duration_s : 0;
  return m;
}

EventMetrics epoch_metrics(const EventCounts& c, double total_duration_s, double epoch_s) {
  EventMetrics m = event_metrics(c, total_duration_s);
  m.false_alarms_per_24h *= epoch_s;  // false-alarm time, not epochs, per 24 h (as NEDC)
  return m;
}

}  // namespace streamdx
