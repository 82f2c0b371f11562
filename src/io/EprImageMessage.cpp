// The EprImage message (io/EprWireMessages.hpp; docs/PROTOCOL.md, "EPR image").
#include <fmt/format.h>

#include <cmath>

#include "io/EprWireMessages.hpp"
#include "io/LittleEndian.hpp"
#include "io/WireFormat.hpp"
#include "io/WirePrefix.hpp"

namespace streamdx::wire {

namespace {

using le::get;
using le::put;

std::size_t image_values(std::size_t side, std::uint16_t dimensions) {
  return dimensions == 3 ? side * side * side : side * side;
}

}  // namespace

std::size_t encode(const EprImage& m, std::vector<std::uint8_t>& out) {
  if ((m.dimensions != 2 && m.dimensions != 3) || m.side > kMaxEprImageSide ||
      m.image.size() != image_values(m.side, m.dimensions) ||
      m.projection.size() > kMaxEprSamples) {
    throw WireError(fmt::format("EPR image: {} values for a {}D image of side {}", m.image.size(),
                                m.dimensions, m.side));
  }
  const std::size_t body =
      kEprImageFixedBytes + sizeof(float) * (m.image.size() + m.projection.size());
  const std::size_t start = out.size();
  detail::put_prefix(out, kMagic, kVersion, static_cast<std::uint16_t>(Kind::kEprImage), body);
  put<std::uint32_t>(out, m.stream_id);
  put<std::uint32_t>(out, m.sequence);
  put<std::uint16_t>(out, static_cast<std::uint16_t>(m.stage));
  put<std::uint16_t>(out, m.dimensions);
  put<std::uint32_t>(out, m.projections);
  put<std::uint32_t>(out, m.expected);
  put<std::uint32_t>(out, m.side);
  put<std::uint32_t>(out, m.iterations);
  put<std::uint32_t>(out, m.projection_index);
  put<double>(out, m.fov_cm);
  put<double>(out, m.lambda);
  put<double>(out, m.age_s);
  put<double>(out, m.projection_angle_rad);
  put<std::uint32_t>(out, static_cast<std::uint32_t>(m.projection.size()));
  put<std::uint32_t>(out, 0);
  le::put_floats(out, m.image);
  le::put_floats(out, m.projection);
  return out.size() - start;
}

EprImage decode_epr_image(std::span<const std::uint8_t> body) {
  if (body.size() < kEprImageFixedBytes) {
    throw WireError(fmt::format("truncated EPR image: body of {} bytes", body.size()));
  }
  EprImage m;
  m.stream_id = get<std::uint32_t>(body, 0);
  m.sequence = get<std::uint32_t>(body, 4);
  const auto stage = get<std::uint16_t>(body, 8);
  m.dimensions = get<std::uint16_t>(body, 10);
  m.projections = get<std::uint32_t>(body, 12);
  m.expected = get<std::uint32_t>(body, 16);
  m.side = get<std::uint32_t>(body, 20);
  m.iterations = get<std::uint32_t>(body, 24);
  m.projection_index = get<std::uint32_t>(body, 28);
  m.fov_cm = get<double>(body, 32);
  m.lambda = get<double>(body, 40);
  m.age_s = get<double>(body, 48);
  m.projection_angle_rad = get<double>(body, 56);
  const std::size_t points = get<std::uint32_t>(body, 64);
  if (stage > 2 || (m.dimensions != 2 && m.dimensions != 3) || m.side > kMaxEprImageSide ||
      points > kMaxEprSamples) {
    throw WireError(fmt::format("EPR image: stage {}, {} dimensions, side {}, {} points", stage,
                                m.dimensions, m.side, points));
  }
  const std::size_t values = image_values(m.side, m.dimensions);
  if (body.size() != kEprImageFixedBytes + sizeof(float) * (values + points)) {
    throw WireError(fmt::format("EPR image of {} bytes does not hold its {} pixels and {} points",
                                body.size(), values, points));
  }
  if (!std::isfinite(m.fov_cm) || !(m.fov_cm > 0)) {
    throw WireError(fmt::format("EPR image: a field of view of {} cm", m.fov_cm));
  }
  m.stage = static_cast<EprImageStage>(stage);
  m.image = le::get_floats(body, kEprImageFixedBytes, values);
  m.projection = le::get_floats(body, kEprImageFixedBytes + sizeof(float) * values, points);
  return m;
}

}  // namespace streamdx::wire
