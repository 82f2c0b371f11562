#pragma once
// What the seizure model sees and says, shared by the decoder stage, the trainer, the evaluator
// and the LibTorch plugin (which must not include LfccParameters' users' heavy headers).
#include <cstddef>

namespace streamdx::decoder {

inline constexpr std::size_t kFeatures = 26;        // LFCC features per channel per 0.1 s frame
inline constexpr std::size_t kFramesPerEpoch = 10;  // a 1 s epoch: 10 frames
inline constexpr std::size_t kSteps = 7;            // a 7 s window: 7 epochs, oldest first
inline constexpr std::size_t kInputs = kFramesPerEpoch * kFeatures;  // 260 per step
inline constexpr std::size_t kWindowValues = kSteps * kInputs;       // 1820 per channel-window
inline constexpr std::size_t kClasses = 2;  // output order: P(seiz), P(bckg)

}  // namespace streamdx::decoder
