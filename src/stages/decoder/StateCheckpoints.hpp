#pragma once
// StateCheckpoints: where a stage with long memory reports a digest of its state, so that two
// runs over overlapping parts of one recording can prove they agree from some point on.
//
// streamdx batch cuts a long recording into chunks, each warmed up on the signal before it.
// Every stage but one forgets its input within seconds; the background level (BackgroundLevel)
// remembers minutes and, in principle, forever. So each chunk asks the encoder for the level's
// digest at the frame where the next chunk's output will depend on it, and the next chunk asks
// for the digest at that same frame of its own warm-up: equal digests prove the warm-up was
// long enough, and the merge re-runs a chunk from the recording's start when they differ.
//
// Written by the stage's thread while the pipeline runs; read after it has ended (joining the
// threads orders the accesses).
#include <cstdint>
#include <optional>
#include <vector>

namespace streamdx {

struct StateCheckpoints {
  // Input frames (LFCC frames, 0.1 s, counted from the stream's first) before which to take the
  // digest; `digests` gets one entry per frame here, empty when the stream ended before it.
  std::vector<std::uint64_t> at_frames;
  std::vector<std::optional<std::uint64_t>> digests;

  // Called by the stage before it processes input frame `frame`.
  template <class DigestFn>
  void reach(std::uint64_t frame, DigestFn&& digest) {
    digests.resize(at_frames.size());
    for (std::size_t i = 0; i < at_frames.size(); ++i) {
      if (at_frames[i] == frame) digests[i] = digest();
    }
  }
};

}  // namespace streamdx
