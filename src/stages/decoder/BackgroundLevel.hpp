#pragma once
// BackgroundLevel: each channel's log energy taken relative to that channel's own recent
// background, which is what a clinician compares a seizure's onset with. Recordings arrive in
// unknown units, so an absolute level cannot be used; a level relative to the channel's own past
// is gain-invariant by construction (a gain g adds ln g^2 to both terms).
//
// Per channel, on the LFCC frames (channels x 26, 10 a second) in stream order:
//   - the background is the lower median of the last kHistoryEpochs one-second block energies
//     (each the mean of its 10 frames' log energy, feature 0);
//   - each frame's energy is rewritten as energy - background, where the background is the one
//     reached before the frame's block (causal);
//   - a block more than kHoldAbove above the background is not added to the history ("held"
//     while a seizure is suspected), for at most kMaxHeldEpochs blocks in a row; after that the
//     new level is accepted block by block until one is back within reach (a lasting change of
//     state, not a seizure); the first kWarmUpEpochs blocks are always added;
//   - warm-up: before the first block has ended there is no history, and the background is the
//     mean of the frames seen so far (so the first frame reads 0, and a recording that starts
//     inside a seizure reads near 0 until its own background has been seen).
// The constants were set before any training run (models/SPLIT-delhi.md) and are not tuned.
// Memory is bounded: kHistoryEpochs values per channel. Deterministic: float arithmetic in a
// fixed order, so online, offline and batched runs give the same bits.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace streamdx {

class BackgroundLevel {
 public:
  static constexpr std::size_t kHistoryEpochs = 120;  // two minutes of one-second blocks
  static constexpr float kHoldAbove = 1.5F;           // ln power: ~2.1 x the amplitude
  static constexpr std::size_t kMaxHeldEpochs = 300;
  static constexpr std::size_t kWarmUpEpochs = 10;

  explicit BackgroundLevel(std::size_t channels = 0);

  // One LFCC frame, channels x 26: feature 0 of each channel rewritten in place.
  void apply(std::span<float> frame);
  // The same as a stage would: `out` = `in` with the energies made relative.
  void process(std::span<const float> in, std::span<float> out);

  // A 64-bit digest of everything that decides this level's future: each channel's accepted
  // blocks oldest first, its hold count, whether warm-up is over, the block being summed. Two
  // levels with the same digest give the same bits from here on (streamdx batch compares the
  // digests of two chunks where they meet, to prove a chunk's warm-up was long enough).
  [[nodiscard]] std::uint64_t state_digest() const;

  // The background of `channel` now: the median, or in the first block the mean so far.
  [[nodiscard]] float background(std::size_t channel) const;

 private:
  struct Channel {
    std::vector<float> ring;    // accepted block energies, oldest overwritten first
    std::vector<float> sorted;  // the same values, ascending
    std::size_t next = 0;       // ring slot the next accepted block overwrites
    std::size_t accepted = 0;   // blocks ever accepted
    std::size_t held = 0;       // blocks held in a row
    double block_sum = 0;       // this block's energies so far
  };
  static void end_block(Channel& c);
  // The median, or before the first block has ended the mean of its first `frames_in_block`.
  static float reference(const Channel& c, std::size_t frames_in_block);

  std::vector<Channel> channels_;
  std::size_t frame_in_block_ = 0;
};

}  // namespace streamdx
