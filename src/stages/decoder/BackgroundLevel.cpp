#include "stages/decoder/BackgroundLevel.hpp"

#include <algorithm>
#include <stdexcept>

#include "stages/decoder/DecoderShape.hpp"

namespace streamdx {

namespace {
float lower_median(const std::vector<float>& sorted) {
  return sorted[(sorted.size() - 1) / 2];
}
}  // namespace

BackgroundLevel::BackgroundLevel(std::size_t channels) : channels_(channels) {
  for (Channel& c : channels_) {
    c.ring.reserve(kHistoryEpochs);
    c.sorted.reserve(kHistoryEpochs);
  }
}

float BackgroundLevel::reference(const Channel& c, std::size_t frames_in_block) {
  if (!c.sorted.empty()) return lower_median(c.sorted);
  // Warm-up: the mean of the first block's frames so far (0 before any).
  return frames_in_block == 0
             ? 0.0F
             : static_cast<float>(c.block_sum / static_cast<double>(frames_in_block));
}

float BackgroundLevel::background(std::size_t channel) const {
  return reference(channels_.at(channel), frame_in_block_);
}

void BackgroundLevel::end_block(Channel& c) {
  const auto energy = static_cast<float>(c.block_sum / decoder::kFramesPerEpoch);
  c.block_sum = 0;
  const bool above = c.accepted >= kWarmUpEpochs && energy - lower_median(c.sorted) > kHoldAbove;
  if (above && c.held < kMaxHeldEpochs) {
    ++c.held;
    return;
  }
  // Held too long: the new level is accepted, block by block, until one is back within reach.
  if (!above) c.held = 0;
  if (c.ring.size() < kHistoryEpochs) {
    c.ring.push_back(energy);
  } else {
    const float oldest = c.ring[c.next];
    c.sorted.erase(std::lower_bound(c.sorted.begin(), c.sorted.end(), oldest));
    c.ring[c.next] = energy;
  }
  c.next = (c.next + 1) % kHistoryEpochs;
  c.sorted.insert(std::upper_bound(c.sorted.begin(), c.sorted.end(), energy), energy);
  ++c.accepted;
}

void BackgroundLevel::apply(std::span<float> frame) {
  if (frame.size() != channels_.size() * decoder::kFeatures) {
    throw std::invalid_argument("BackgroundLevel: a feature frame of the wrong size");
  }
  for (std::size_t ch = 0; ch < channels_.size(); ++ch) {
    float& energy = frame[ch * decoder::kFeatures];
    channels_[ch].block_sum += energy;
    // Warm-up reads the first block's mean including this frame; afterwards the median, which
    // this block does not touch until it ends.
    energy -= reference(channels_[ch], frame_in_block_ + 1);
  }
  if (++frame_in_block_ < decoder::kFramesPerEpoch) return;
  frame_in_block_ = 0;
  for (Channel& c : channels_) end_block(c);
}

namespace {
// FNV-1a over the bytes of each value, in order.
class Fnv1a {
 public:
  template <class T>
  void add(const T& value) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(&value);  // NOLINT
    for (std::size_t i = 0; i < sizeof(T); ++i) {
      hash_ = (hash_ ^ bytes[i]) * 0x100000001b3ULL;
    }
  }
  [[nodiscard]] std::uint64_t value() const { return hash_; }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};
}  // namespace

std::uint64_t BackgroundLevel::state_digest() const {
  Fnv1a h;
  h.add(channels_.size());
  h.add(frame_in_block_);
  for (const Channel& c : channels_) {
    // Oldest first: once the ring is full, the slot `next` is the oldest.
    const std::size_t n = c.ring.size();
    const std::size_t first = n < kHistoryEpochs ? 0 : c.next;
    h.add(n);
    for (std::size_t i = 0; i < n; ++i) h.add(c.ring[(first + i) % n]);
    h.add(c.held);
    h.add(std::min(c.accepted, kWarmUpEpochs));
    h.add(c.block_sum);
  }
  return h.value();
}

void BackgroundLevel::process(std::span<const float> in, std::span<float> out) {
  std::copy(in.begin(), in.end(), out.begin());
  apply(out);
}

}  // namespace streamdx
