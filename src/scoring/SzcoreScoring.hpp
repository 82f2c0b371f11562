#pragma once
// SzCORE event scoring (Dan et al., "SzCORE as a benchmark", Epilepsia 2024), computed exactly as
// its reference implementation does: esl-epfl/timescoring, scoring.EventScoring with its default
// parameters, given Annotation(events, fs = 1, numSamples = round(duration)) as its README shows.
// The rules, in their order:
//
// 1. Everything runs on a 10 Hz grid of round(10 x round(duration)) samples; an event [a, b)
//    covers samples round(10 a) .. round(10 b) - 1 (rounding half to even, as Python's round).
// 2. Merge, in list order (events sorted by start): an event starting less than 90 s after the
//    previous one's stop is joined to it, which then ends where this one ends.
// 3. Split: an event longer than 300 s becomes [a, a + 300) and [a + 300, b), repeatedly.
// 4. Each reference event is widened to [max(0, a - 30), min(file, b + 60)); it is a hit when the
//    hypothesis mask (after merging, so gaps inside a merged event count) covers any of it, and
//    its widened samples then join the "true positive mask".
// 5. A hypothesis event is a false alarm when any of its samples lies outside that mask.
//
// Sensitivity = hits / reference events; precision = hits / (hits + false alarms). Counts are
// summed over files (micro average) by the caller.
#include <vector>

#include "scoring/EventScoring.hpp"

namespace streamdx {

EventCounts score_szcore(const std::vector<Interval>& ref, const std::vector<Interval>& hyp,
                         double duration_s);

}  // namespace streamdx
