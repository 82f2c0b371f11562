#pragma once
// The display feed, version 1 (docs/PROTOCOL.md): what a running pipeline publishes for
// viewers. ZeroMQ PUB/SUB; every message has three parts:
//   1. the topic: "sdx.header", "sdx.signal" or "sdx.decision" (EEG), "sdx.epr.image" (EPR);
//   2. a u64 little-endian publish counter, per topic, from 0. A subscriber that sees it jump
//      knows how many messages of that topic it missed, so no drop goes uncounted;
//   3. one wire v1 message (io/WireFormat.hpp): a StreamHeader on sdx.header, Frames on the
//      other two, and EndOfStream on sdx.decision when the run ends; EprImage messages on
//      sdx.epr.image (io/EprWireMessages.hpp), and EndOfStream there when an EPR run ends.
// The header is repeated every second of signal, so a viewer that joins late learns the
// channel labels within a second.
#include <array>
#include <cstdint>
#include <string_view>

namespace streamdx::display {

inline constexpr std::uint16_t kFeedVersion = 1;
inline constexpr std::string_view kTopicPrefix = "sdx.";

enum class Topic : std::uint8_t { kHeader = 0, kSignal = 1, kDecision = 2, kEprImage = 3 };
inline constexpr std::size_t kTopics = 4;

inline constexpr std::array<std::string_view, kTopics> kTopicNames = {
    "sdx.header", "sdx.signal", "sdx.decision", "sdx.epr.image"};

[[nodiscard]] constexpr std::string_view topic_name(Topic t) noexcept {
  return kTopicNames[static_cast<std::size_t>(t)];
}

}  // namespace streamdx::display
