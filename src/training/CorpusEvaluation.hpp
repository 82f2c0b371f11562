#pragma once
// `streamdx evaluate --corpus DIR`: any annotated corpus, not only Bonn. Every recording below
// DIR that has seizure annotations in a format streamdx reads (io/SeizureAnnotations.hpp: TUSZ
// csv_bi, CHB-MIT, Siena, SeizeIT, BIDS as SzCORE uses it; text recordings with a csv_bi beside
// them, such as the trainer's streams) runs through the same stages as `streamdx run`, and its
// seizure events are scored against the annotations: OVLP, TAES, SzCORE and EPOCH, pooled over
// the corpus and per recording (scoring/ScoreReport.hpp), with the share of epochs flagged.
#include <filesystem>
#include <memory>
#include <vector>

#include "core/Config.hpp"
#include "core/Json.hpp"
#include "io/SeizureAnnotations.hpp"
#include "stages/decoder/SeizureModel.hpp"

namespace streamdx {

struct AnnotatedRecording {
  std::filesystem::path path;  // .edf/.bdf, or .txt/.csv text with a "# rate=" line
  SeizureAnnotations annotations;
};

// Every annotated recording below `root`, in path order. Throws naming `root` if it is no
// folder, or naming the annotation file that is malformed.
std::vector<AnnotatedRecording> annotated_corpus(const std::filesystem::path& root);

// Scores `recordings` with `model` and the [postprocess] and [eeg] settings of `config`. A
// recording that cannot be read is listed under "failed" with its one-line error; the others
// are scored.
json::Json evaluate_corpus(const std::vector<AnnotatedRecording>& recordings, const Config& config,
                           const std::shared_ptr<SeizureModel>& model);

}  // namespace streamdx
