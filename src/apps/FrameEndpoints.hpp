#pragma once
// Turns what a user types after --from / --to into pipeline nodes, and the [pipeline] config
// section into runner options. Shared by every command that streams frames.
#include <memory>
#include <string_view>

#include "core/Config.hpp"
#include "core/Pipeline.hpp"
#include "stages/eeg/EegFileSource.hpp"
#include "stages/eeg/SampleStreamSource.hpp"
#include "stages/sim/SyntheticEegSource.hpp"

namespace streamdx {

// "sim" (the built-in synthetic recording), a frame file (*.sdxf), or a ZeroMQ endpoint
// (receivers connect unless the spec starts with '@').
std::unique_ptr<FrameSourceNode> open_frame_source(std::string_view spec, const Config& config,
                                                   bool realtime);

// "null", a frame file (*.sdxf), or a ZeroMQ endpoint (senders bind unless it starts with '>').
std::unique_ptr<FrameSinkNode> open_frame_sink(std::string_view spec, const Config& config);

// Runner options for a chain of `nodes` nodes from the [pipeline] section.
PipelineOptions pipeline_options(const Config& config, std::size_t nodes);

SyntheticEegSettings simulate_settings(const Config& config);
EegSourceSettings eeg_source_settings(const Config& config);

}  // namespace streamdx
