#pragma once
// Turns what a user types after --from / --to into pipeline nodes, and the [pipeline] config
// section into runner options. Shared by every command that streams frames.
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/Config.hpp"
#include "core/Pipeline.hpp"
#include "io/EdfSignalWriter.hpp"
#include "stages/eeg/EegFileSource.hpp"
#include "stages/eeg/SampleStreamSource.hpp"
#include "stages/eeg/ZmqAcquisitionSource.hpp"
#include "stages/sim/SyntheticEegSource.hpp"

namespace streamdx {

struct OpenedSource {
  std::unique_ptr<FrameSourceNode> node;
  std::vector<std::string>
      channel_labels;     // empty when the source cannot know them (.sdxf, ZeroMQ)
  double duration_s = 0;  // the recording's length when known in advance (EDF header), else 0
  // When the recording started, and its annotations (EDF+); the signal file carries both.
  std::optional<RecordingStart> start;
  std::vector<EdfSignalWriter::InputAnnotation> annotations;
  // Montage channels the recording cannot form ("auto" runs on the others; TcpMontage.hpp).
  std::vector<std::string> missing_channels;
  // Text and stdin: the input's own length as read so far (samples / the input's rate).
  std::shared_ptr<const std::atomic<double>> input_seconds;
};

// "sim" (the built-in synthetic recording), "-" (stdin), an EDF/BDF recording, a CSV/text/raw
// sample file, a frame file (*.sdxf), or a ZeroMQ endpoint (receivers connect unless '@').
// `preprocess` treats a ZeroMQ stream as raw acquisition (montage, 250 Hz, 0.1 s frames).
OpenedSource open_frame_source(std::string_view spec, const Config& config, bool realtime,
                               bool preprocess = false);

// An EDF/BDF recording, or with settings.first_record/end_record a chunk of one (streamdx batch).
OpenedSource open_edf_source(const std::filesystem::path& path, const EegSourceSettings& settings);

// Recordings by their extension, in any case: EDF/BDF (.edf, .bdf), and text or raw samples
// (.csv, .txt, .raw).
bool is_edf_path(std::string_view spec);
bool is_text_path(std::string_view spec);

// Throws the one-line error a user should see when `spec` names a file that is missing or is a
// directory: cheap, for commands to call before they load anything heavy.
void check_source_readable(std::string_view spec);

// "null", an EDF+ signal file (*.edf), a NumPy array (*.npy: samples x channels, with a JSON
// sidecar), a frame file (*.sdxf), or a ZeroMQ endpoint (senders bind unless it starts with '>').
// `channel_labels` name the EDF signals (missing ones: ch1, ch2, ...); an EDF signal file also
// carries `from`'s start and annotations, as `run`'s does.
std::unique_ptr<FrameSinkNode> open_frame_sink(std::string_view spec, const Config& config,
                                               const std::vector<std::string>& channel_labels = {},
                                               std::size_t channels = 0,
                                               const OpenedSource* from = nullptr);

// `spec` parsed (ZmqEndpoint.hpp) with the [zmq] section's CURVE keys: zmq.curve_key makes a
// bind a CURVE server, allowed beyond loopback; zmq.curve_server_key makes a connect its client.
ZmqEndpoint zmq_endpoint(std::string_view spec, ZmqRole default_role, const Config& config);

// Runner options for a chain of `nodes` nodes from the [pipeline] section.
PipelineOptions pipeline_options(const Config& config, std::size_t nodes);

SyntheticEegSettings simulate_settings(const Config& config);
EegSourceSettings eeg_source_settings(const Config& config);

}  // namespace streamdx
