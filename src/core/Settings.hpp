#pragma once
// Every setting streamdx has, declared once, in the table below: its TOML key, type, default,
// unit, limits and one line of documentation. From this one table
//   - Config knows which keys exist, their types and defaults, and refuses an out-of-range or
//     unknown value when it is loaded, naming the key and where the value came from;
//   - `streamdx config --doc` prints the reference, and `streamdx config --defaults` the TOML
//     that configs/default.toml holds (a test keeps the two equal);
//   - the typed settings structs (PostprocessSettings, SyntheticEegSettings, ...) take their
//     defaults from it at compile time (setting_default), and are read from a Config at run time.
#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace streamdx {

enum class SettingType { kString, kInt, kDouble, kBool };

struct SettingSpec {
  std::string_view key;  // "section.name"
  SettingType type;
  double number;              // the default of a number, an integer or a bool (0 or 1)
  std::string_view text;      // the default of a string
  std::string_view unit;      // "" for none
  std::optional<double> min;  // numbers: inclusive limits
  std::optional<double> max;
  std::string_view choices;  // strings: the allowed values, "|"-separated; "" for free text
  std::string_view doc;      // one line
};

namespace settings_catalogue {

using enum SettingType;
inline constexpr std::optional<double> kAny;

inline constexpr std::array kSettings{
    // [pipeline] how a one-stream run is laid out on threads
    SettingSpec{"pipeline.ring_capacity", kInt, 64, "", "frames", 2, 1 << 20, "",
                "frames per ring between two stage threads"},
    SettingSpec{"pipeline.ring_policy", kString, 0, "back-pressure", "", kAny, kAny,
                "back-pressure|drop-oldest",
                "a full ring makes its producer wait (lossless), or drops its oldest frame "
                "(counted)"},
    SettingSpec{"pipeline.threads", kString, 0, "per-stage", "", kAny, kAny, "",
                "per-stage, single, or each stage's thread, source first (0,0,1,1,1)"},
    // [log]
    SettingSpec{"log.level", kString, 0, "info", "", kAny, kAny,
                "trace|debug|info|warn|error|critical|off", "the least severe message logged"},
    // [zmq] edges between processes
    SettingSpec{"zmq.peer_timeout_s", kDouble, 30, "", "s", 0, 86400, "",
                "a peer silent this long is dead; 0 waits forever"},
    SettingSpec{"zmq.high_water_mark", kInt, 1000, "", "messages", 1, 10'000'000, "",
                "messages queued per peer before a sender blocks"},
    SettingSpec{"zmq.allow_public_bind", kBool, 0, "", "", kAny, kAny, "",
                "binds stay on 127.0.0.1 / ::1 unless this is true"},
    SettingSpec{"zmq.curve_key", kString, 0, "", "", kAny, kAny, "",
                "this side's CURVE key pair (NAME.key from streamdx keygen): a bind encrypts and "
                "authenticates with it, and may then go beyond loopback"},
    SettingSpec{"zmq.curve_server_key", kString, 0, "", "", kAny, kAny, "",
                "the binding side's public key (NAME.pub): a connect uses CURVE with it"},
    // [eeg] acquisition: every input becomes the TCP montage at 250 Hz in 0.1 s frames
    SettingSpec{"eeg.montage", kString, 0, "auto", "", kAny, kAny, "auto|tcp22|tcp20|none",
                "auto: TCP 22, or 20 without A1/A2; none keeps the input's channels"},
    SettingSpec{"eeg.input_rate_hz", kDouble, 0, "", "Hz", 0, 100'000, "",
                "rate of text/CSV input without a \"# rate=\" line (0: required there)"},
    // [simulate] the built-in SYNTHETIC recording
    SettingSpec{"simulate.channels", kInt, 22, "", "channels", 1, 1024, "",
                "channels of background rhythms"},
    SettingSpec{
        "simulate.duration_s", kDouble, 120, "", "s", 0, 1e7, "",
        "length of the recording; 0: endless (paced with --realtime, or into null or ZeroMQ)"},
    SettingSpec{"simulate.seed", kInt, 1, "", "", 0, 9'007'199'254'740'992.0, "",
                "seeds the background rhythms and their noise"},
    SettingSpec{"simulate.discharge_start_s", kDouble, 60, "", "s", 0, 1e7, "",
                "when the seizure-like discharge starts"},
    SettingSpec{"simulate.discharge_length_s", kDouble, 20, "", "s", 0, 1e7, "",
                "its length; 0 disables it"},
    SettingSpec{"simulate.discharge_pattern", kString, 0, "evolving", "", kAny, kAny,
                "evolving|fixed",
                "evolving: a focal seizure's onset, evolution and offset; fixed: steady "
                "spike-and-wave"},
    SettingSpec{"simulate.discharge_hz", kDouble, 3, "", "Hz", 0.1, 40, "",
                "the fixed pattern's spike-and-wave cycles per second"},
    // [decoder] the seizure model (models/README.md)
    SettingSpec{"decoder.model", kString, 0, "models/seizure-lstm.pt", "", kAny, kAny, "",
                "TorchScript model; a relative path is looked up in the working directory, then "
                "beside the streamdx checkout"},
    SettingSpec{"decoder.device", kString, 0, "auto", "", kAny, kAny, "auto|cpu|cuda",
                "auto: CUDA when LibTorch sees a GPU"},
    SettingSpec{"decoder.threads", kInt, 1, "", "threads", 1, 256, "",
                "LibTorch intra-op threads (LibTorch would start with 1 here)"},
    SettingSpec{"decoder.engine", kString, 0, "auto", "", kAny, kAny, "auto|native|torchscript",
                "auto: native on the CPU, TorchScript on CUDA"},
    SettingSpec{"decoder.service", kString, 0, "", "", kAny, kAny, "",
                "a decoder service (streamdx serve) that makes the model calls, e.g. "
                "tcp://127.0.0.1:5555; empty: decode in this process"},
    SettingSpec{"decoder.service_resend_ms", kInt, 1000, "", "ms", 10, 600'000, "",
                "a request to the service unanswered this long is sent again"},
    SettingSpec{"decoder.service_timeout_s", kDouble, 60, "", "s", 0.1, 86400, "",
                "a service silent this long with requests outstanding fails the run"},
    SettingSpec{"decoder.service_key", kString, 0, "", "", kAny, kAny, "",
                "the service's public key file (NAME.pub from streamdx keygen): connect with "
                "CURVE; empty: plain"},
    SettingSpec{"decoder.client_key", kString, 0, "", "", kAny, kAny, "",
                "this client's key pair file (NAME.key), for a service with an allow-list; "
                "empty: a fresh pair per run"},
    // [postprocess] from per-channel posteriors to one label per 1 s epoch (docs/DETECTION.md)
    SettingSpec{"postprocess.smoothing_s", kInt, 1, "", "s", 1, 8, "",
                "each channel's P(seiz) averaged over its last N epochs"},
    SettingSpec{"postprocess.threshold", kDouble, 0.5, "", "", 0, 1, "",
                "a channel votes seizure when that average reaches this"},
    SettingSpec{"postprocess.min_channels", kInt, 2, "", "channels", 1, 1024, "",
                "votes needed (capped at the channel count)"},
    SettingSpec{"postprocess.min_confidence", kDouble, 0.5, "", "", 0, 1, "",
                "mean P(seiz) of the voting channels needed"},
    SettingSpec{"postprocess.min_duration_s", kInt, 7, "", "s", 1, 8, "",
                "consecutive qualifying epochs confirm an event, dated from the first"},
    // [epr] imaging: epr run and epr reconstruct (docs/EPR.md)
    SettingSpec{"epr.method", kString, 0, "tv", "", kAny, kAny, "tv|fourier|reservoir",
                "tv: non-negative TV with automatic lambda; fourier: the filtered baseline; "
                "reservoir: echo-state deconvolution then the baseline's back projection"},
    SettingSpec{"epr.reservoir_model", kString, 0, "models/epr-reservoir.json", "", kAny, kAny, "",
                "--method reservoir: the trained model (relative paths: to the checkout)"},
    SettingSpec{"epr.operator", kString, 0, "toeplitz", "", kAny, kAny, "toeplitz|projector",
                "2D tv: toeplitz (Fourier-domain model, A*A by FFT) or projector (Joseph, per "
                "iteration); 3D always uses the projector"},
    SettingSpec{"epr.size", kInt, 256, "", "pixels", 16, 1024, "", "2D image pixels per side"},
    SettingSpec{"epr.size_3d", kInt, 65, "", "voxels", 8, 256, "", "3D volume voxels per side"},
    SettingSpec{"epr.threads", kInt, 0, "", "threads", 0, 256, "", "0: every core"},
    SettingSpec{"epr.max_iterations", kInt, 2000, "", "iterations", 1, 100'000, "",
                "the final 2D TV solve stops after this many"},
    SettingSpec{"epr.max_iterations_3d", kInt, 300, "", "iterations", 1, 100'000, "",
                "the final 3D TV solve stops after this many (each costs ~40 2D ones)"},
    SettingSpec{"epr.tolerance", kDouble, 2e-5, "", "", 0, 1, "",
                "TV stops when the image changes less than this per iteration (relative)"},
    SettingSpec{"epr.rerun_every", kInt, 8, "", "projections", 0, 1'000'000, "",
                "live: a TV re-run after this many new projections; 0: only when idle"},
    SettingSpec{"epr.idle_s", kDouble, 2, "", "s", 0, 86400, "",
                "live: a TV re-run when no projection came for this long; 0: never for idling"},
    SettingSpec{"epr.rerun_iterations", kInt, 100, "", "iterations", 1, 100'000, "",
                "live: each re-run's cap (it starts from the last image)"},
    SettingSpec{"epr.interval_s", kDouble, 0, "", "s", 0, 86400, "",
                "BES3T input replayed one projection every this many seconds; 0: at once"},
    SettingSpec{"epr.display", kString, 0, "", "", kAny, kAny, "",
                "publish the images (display feed, sdx.epr.image) here, e.g. tcp://127.0.0.1:5610; "
                "empty: none"},
};

}  // namespace settings_catalogue

// The catalogue, in the order `config` prints it (section by section).
constexpr std::span<const SettingSpec> setting_specs() {
  return settings_catalogue::kSettings;
}

// The spec of `key`, or nullptr for a key that does not exist.
constexpr const SettingSpec* find_setting(std::string_view key) {
  for (const SettingSpec& s : settings_catalogue::kSettings) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

// The default of a numeric setting, for a settings struct's member initialiser. Evaluated at
// compile time: a key that does not exist, or names a string, fails to compile.
// (A search by value, not through find_setting()'s pointer: GCC's UBSan instruments a pointer
// compared with null, which a constant expression may not contain.)
template <class T>
consteval T setting_default(std::string_view key) {
  for (const SettingSpec& s : settings_catalogue::kSettings) {
    if (s.key != key) continue;
    if (s.type == SettingType::kString) throw std::string_view("setting_default: a string setting");
    return static_cast<T>(s.number);
  }
  throw std::string_view("setting_default: no such setting");
}

// Why `value` is not allowed for `spec` ("" when it is): a number outside the limits, or a string
// outside the choices.
std::string setting_value_problem(const SettingSpec& spec, double value);
std::string setting_value_problem(const SettingSpec& spec, std::string_view value);

// The defaults as a TOML file (section headers, each key with its documentation as a comment).
std::string default_settings_toml();

// The reference: every key with its type, default, unit, limits and documentation.
std::string settings_reference();

// A TOML float in its shortest round-trip form, with a decimal point (120.0, not 120).
std::string toml_float(double v);

}  // namespace streamdx
