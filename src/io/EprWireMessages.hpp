#pragma once
// The EPR acquisition messages of the wire format (docs/PROTOCOL.md, "EPR acquisition"): how a
// CW EPR imaging acquisition reaches streamdx one projection at a time, over ZeroMQ, stdin or a
// file. First an EprHeader: the field axis every projection is sampled on, the zero-gradient
// reference spectrum, how many projections to expect and in how many dimensions. Then one
// EprProjection per measured projection, each with its own gradient vector, as the instrument
// delivers them; then the format's end-of-stream message.
//
// A running reconstruction publishes EprImage messages (the display feed's sdx.epr topic): the
// image after each projection, each live TV re-run and the final solve.
//
// Decoding checks every length against the bytes given (WireError, one line). Whether a
// projection fits its header (its length, a zero gradient, NaNs) is a separate check,
// check_projection(), which names the projection.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace streamdx::wire {

inline constexpr std::size_t kEprHeaderFixedBytes = 24;
inline constexpr std::size_t kEprProjectionFixedBytes = 40;
inline constexpr std::size_t kMaxEprSamples = std::size_t{1} << 20;  // points per spectrum
inline constexpr std::size_t kMaxEprSourceText = 255;
inline constexpr std::size_t kEprImageFixedBytes = 72;
inline constexpr std::size_t kMaxEprImageSide = 1024;  // pixels per side

struct EprHeader {
  std::uint32_t stream_id = 0;
  std::uint16_t dimensions = 2;        // 2 or 3: how many gradient components count
  std::uint32_t projections = 0;       // expected; 0 when open-ended
  std::vector<float> field;            // gauss: the axis every projection is sampled on
  std::vector<float> reference_field;  // gauss: the reference spectrum's own axis
  std::vector<float> reference;        // zero-gradient derivative spectrum h on it
  std::string source;                  // what was measured, for outputs (UTF-8)

  [[nodiscard]] std::size_t samples() const noexcept { return field.size(); }
};

struct EprProjection {
  std::uint32_t stream_id = 0;
  std::uint32_t index = 0;                    // 0, 1, 2, ... in arrival order
  std::array<double, 3> gradient_g_per_cm{};  // z is 0 in 2D
  std::vector<float> values;                  // derivative signal, header.samples points
};

// What an EprImage holds: the Fourier image of what has arrived (after each projection), a live
// TV re-run, or the final solve.
enum class EprImageStage : std::uint16_t { kBackProjection = 0, kTv = 1, kFinal = 2 };

struct EprImage {
  std::uint32_t stream_id = 0;
  std::uint32_t sequence = 0;  // 0, 1, 2, ... per published image
  EprImageStage stage = EprImageStage::kBackProjection;
  std::uint16_t dimensions = 2;
  std::uint32_t projections = 0;  // how many the image uses
  std::uint32_t expected = 0;     // the header's count (0: open-ended)
  std::uint32_t side = 0;         // pixels per side
  std::uint32_t iterations = 0;   // TV iterations (tv, final)
  double fov_cm = 0;
  double lambda = 0;  // tv, final
  // Seconds from the newest projection's arrival to this image's publication: how old it is.
  double age_s = 0;
  // kBackProjection: the projection that made it, for a viewer's sinogram (index, the angle of
  // its gradient, its values); otherwise projection_index is kNoProjection and values empty.
  static constexpr std::uint32_t kNoProjection = 0xFFFFFFFF;
  std::uint32_t projection_index = kNoProjection;
  double projection_angle_rad = 0;
  std::vector<float> image;       // side^dimensions values, x fastest, row 0 at y = -fov/2
  std::vector<float> projection;  // the projection's points
};

std::size_t encode(const EprHeader& header, std::vector<std::uint8_t>& out);
std::size_t encode(const EprImage& image, std::vector<std::uint8_t>& out);
EprImage decode_epr_image(std::span<const std::uint8_t> body);
std::size_t encode(const EprProjection& projection, std::vector<std::uint8_t>& out);
// `body`: the bytes after the prefix.
EprHeader decode_epr_header(std::span<const std::uint8_t> body);
EprProjection decode_epr_projection(std::span<const std::uint8_t> body);

// Throws WireError naming the projection when it does not fit `header`: another length, a
// gradient of zero length (or beyond the header's dimensions), a non-finite value.
void check_projection(const EprHeader& header, const EprProjection& projection);

}  // namespace streamdx::wire
