// Fuzzes the batch plan reader (every Slurm task and pod reads the plan from a shared volume):
// any text must parse or fail with an error naming the plan, never crash.
#include <string_view>

#include "FuzzTarget.hpp"
#include "batch/BatchPlan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    (void)streamdx::batch::parse_batch_plan(
        std::string_view(reinterpret_cast<const char*>(data), size), "fuzz-plan.json");
  } catch (const std::exception&) {
  }
  return 0;
}

std::vector<std::vector<std::uint8_t>> fuzz_seeds() {
  const std::string_view text = R"({
  "format": "streamdx batch plan 1", "corpus": "/c", "out": "/o", "chunk_s": 120,
  "overlap_s": 600, "tail_s": 5, "checkpoint_lead_s": 30, "config": "[eeg]\nmontage = \"none\"\n",
  "recordings": [{"name": "r", "path": "/c/r.edf", "out_dir": "/o/r", "duration_s": 300,
    "record_s": 1, "records": 300, "reference": "", "error": ""}],
  "tasks": [
    {"index": 0, "recording": 0, "chunk": 0, "chunks": 2, "first_record": 0, "end_record": 125,
     "read_from_s": 0, "start_s": 0, "stop_s": 120, "checkpoint_start_s": -1,
     "checkpoint_end_s": 90},
    {"index": 1, "recording": 0, "chunk": 1, "chunks": 2, "first_record": 0, "end_record": -1,
     "read_from_s": 0, "start_s": 120, "stop_s": 300, "checkpoint_start_s": -1,
     "checkpoint_end_s": -1}]
})";
  return {std::vector<std::uint8_t>(text.begin(), text.end())};
}
