#pragma once
// Event scoring of seizure detections against reference annotations, after Shah, Golmohammadi,
// Obeid and Picone, "Objective Evaluation Metrics for Automatic Classification of EEG Events"
// (2021), the definitions behind Temple's NEDC scorer, for the label "seiz":
//
// - OVLP (any overlap): a reference event is a hit when any hypothesis event overlaps it, else
//   a miss; a hypothesis event that overlaps no reference event is a false alarm.
// - TAES (time-aligned event scoring): fractional. A hypothesis overlapping a reference event
//   scores hit = overlap / reference duration and a false alarm for its parts outside the
//   reference, also in reference durations (at most 1); a reference event a hypothesis covers
//   beyond counts as a whole miss once its first overlap is taken, several hypotheses inside
//   one reference add up, and events overlapping nothing count 1 each.
//
// Overlap means sharing time: events that only touch at a boundary do not overlap. TAES follows
// NEDC v6.0.0's own pairing where it differs from the paper: once a reference overlaps some
// hypothesis in time, it is scored against every open hypothesis whose whole-second span shares
// a second with its own (so a hypothesis touching it, or less than a second away, counts against
// it with a zero or negative hit), and later events are paired by that rule too.
// Also: onset latency, from each detected reference onset to the start of the first
// hypothesis that overlaps it.
#include <string>
#include <utility>
#include <vector>

namespace streamdx {

using Interval = std::pair<double, double>;  // [start, stop) in seconds

struct EventCounts {
  double hits = 0;
  double misses = 0;
  double false_alarms = 0;
  void add(const EventCounts& o) {
    hits += o.hits;
    misses += o.misses;
    false_alarms += o.false_alarms;
  }
};

EventCounts score_ovlp(const std::vector<Interval>& ref, const std::vector<Interval>& hyp);
EventCounts score_taes(const std::vector<Interval>& ref, const std::vector<Interval>& hyp);

// SzCORE: SzcoreScoring.hpp.

// EPOCH scoring, as NEDC v6.0.0's: both label sequences sampled at t = epoch_s / 2 + i epoch_s
// while t <= the duration (NEDC uses 0.25 s), a time on a boundary taking the earlier event's
// label; seiz in both is a hit, in the reference only a miss, in the hypothesis only a false
// alarm (so false alarms count epochs, not events; epoch_metrics() turns them into time).
EventCounts score_epochs(const std::vector<Interval>& ref, const std::vector<Interval>& hyp,
                         double duration_s, double epoch_s = 0.25);

// Onset latencies (s) of the reference events some hypothesis overlaps.
std::vector<double> onset_latencies(const std::vector<Interval>& ref,
                                    const std::vector<Interval>& hyp);

struct EventMetrics {
  EventCounts counts;
  double sensitivity = 0;  // hits / (hits + misses); 0 when there are no reference events
  double precision = 0;    // hits / (hits + false alarms); 0 when nothing was detected
  double f1 = 0;
  double false_alarms_per_24h = 0;
};

EventMetrics event_metrics(const EventCounts& c, double total_duration_s);
// The same for EPOCH counts: NEDC's false-alarm rate there is false-alarm epochs times their
// length, per 24 h of data.
EventMetrics epoch_metrics(const EventCounts& c, double total_duration_s, double epoch_s = 0.25);

}  // namespace streamdx
