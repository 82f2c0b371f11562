#pragma once
// BatchPlan: a corpus cut into independent tasks (streamdx batch plan), and the file that says
// so. Every task reads a contiguous run of one recording's data records and owns the one-second
// epochs in [start_s, stop_s); stitched in order, the tasks' epochs are those of one `streamdx
// run` over the whole recording, bit for bit (docs/SCALING.md says why, stage by stage).
//
// A chunk is read from `overlap_s` before its start, to warm every stage up on the signal that
// came before it:
//   - resampler (0.05 to 0.3 s), LFCC windows and deltas (0.9 s), the 1 s epoch, the model's 7 s
//     window and the postprocessor's 8 s buffer: about 17 s in all;
//   - the background level (BackgroundLevel.hpp): two minutes of accepted blocks and up to five
//     of held ones, in principle unbounded. Its state digest is taken at `checkpoint_start_s`
//     (kCheckpointLeadS before the start) and compared with the previous chunk's digest at the
//     same instant (its `checkpoint_end_s`); the merge re-runs a chunk from the recording's
//     start when they differ, so a short warm-up costs time, never correctness.
// and read on for kChunkTailS past its stop, so that its last epochs are decided on the signal
// after them (LFCC looks 0.6 s ahead), not on the end-of-stream padding.
//
// Chunk boundaries are whole seconds that fall on data-record boundaries, so that frames and
// epochs lie on the recording's own grid. A discontinuous recording (EDF+D) is one task.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/Config.hpp"

namespace streamdx::batch {

inline constexpr double kChunkTailS = 5;
inline constexpr double kCheckpointLeadS = 30;
inline constexpr double kMinOverlapS = 60;  // the finite receptive fields and the lead, and more
inline constexpr double kMinChunkS = 60;

struct BatchOptions {
  double chunk_s = 0;      // 0: one task per recording
  double overlap_s = 600;  // warm-up read before each chunk
};

struct PlannedRecording {
  std::string name;               // file stem: the outputs' names, as `streamdx run` names them
  std::filesystem::path path;     // absolute
  std::filesystem::path out_dir;  // OUT/<folder in the corpus>/<stem>
  double duration_s = 0;          // from the header
  double record_s = 0;
  std::int64_t records = 0;
  std::filesystem::path reference;  // its seizure annotations, when it has any
  std::string error;                // unreadable at planning: its one task fails with this
};

struct PlannedTask {
  std::size_t index = 0;
  std::size_t recording = 0;
  std::size_t chunk = 0;   // within the recording
  std::size_t chunks = 1;  // of the recording
  std::int64_t first_record = 0;
  std::int64_t end_record = -1;  // -1: to the recording's end
  double read_from_s = 0;
  double start_s = 0;  // the epochs this task owns: [start_s, stop_s)
  double stop_s = 0;
  double checkpoint_start_s = -1;  // -1: none (read from the recording's start)
  double checkpoint_end_s = -1;    // -1: none (the recording's last chunk)
  [[nodiscard]] bool last() const { return chunk + 1 == chunks; }
};

struct BatchPlan {
  std::filesystem::path corpus;
  std::filesystem::path out;
  BatchOptions options;
  std::string config_toml;  // the effective configuration every task runs with
  std::vector<PlannedRecording> recordings;
  std::vector<PlannedTask> tasks;

  // Where the tasks keep their results and manifests: OUT/.batch/tasks.
  [[nodiscard]] std::filesystem::path task_dir() const { return out / ".batch" / "tasks"; }
  // The configuration, rebuilt from config_toml.
  [[nodiscard]] Config config() const;
};

// Every .edf/.bdf below `corpus`, sorted, in every layout streamdx reads (TUSZ, CHB-MIT, Siena,
// SeizeIT, BIDS or a plain folder), chunked by `options`. Throws naming `corpus` when it holds
// no recording.
BatchPlan make_batch_plan(const std::filesystem::path& corpus, const std::filesystem::path& out,
                          const BatchOptions& options, const Config& config);

// The plan as JSON (format "streamdx batch plan 1"), written atomically; and read back, checked.
void write_batch_plan(const BatchPlan& plan, const std::filesystem::path& path);
BatchPlan read_batch_plan(const std::filesystem::path& path);
// The same from text; `origin` names it in errors (a file, a fuzz input).
BatchPlan parse_batch_plan(std::string_view text, std::string_view origin);

}  // namespace streamdx::batch
