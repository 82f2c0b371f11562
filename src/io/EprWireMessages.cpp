#include "io/EprWireMessages.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstring>

#include "io/LittleEndian.hpp"
#include "io/WireFormat.hpp"
#include "io/WirePrefix.hpp"

namespace streamdx::wire {

namespace {

using le::get;
using le::get_floats;
using le::put;
using le::put_floats;

}  // namespace

std::size_t encode(const EprHeader& h, std::vector<std::uint8_t>& out) {
  if (h.source.size() > kMaxEprSourceText || h.reference.size() != h.reference_field.size()) {
    throw WireError(fmt::format(
        "EPR header: {} bytes of source text (at most {}), {} reference "
        "values on {} field points",
        h.source.size(), kMaxEprSourceText, h.reference.size(), h.reference_field.size()));
  }
  const std::size_t body = kEprHeaderFixedBytes +
                           sizeof(float) * (h.field.size() + 2 * h.reference.size()) +
                           h.source.size();
  const std::size_t start = out.size();
  detail::put_prefix(out, kMagic, kVersion, static_cast<std::uint16_t>(Kind::kEprHeader), body);
  put<std::uint32_t>(out, h.stream_id);
  put<std::uint16_t>(out, h.dimensions);
  put<std::uint16_t>(out, static_cast<std::uint16_t>(h.source.size()));
  put<std::uint32_t>(out, h.projections);
  put<std::uint32_t>(out, static_cast<std::uint32_t>(h.field.size()));
  put<std::uint32_t>(out, static_cast<std::uint32_t>(h.reference.size()));
  put<std::uint32_t>(out, 0);
  put_floats(out, h.field);
  put_floats(out, h.reference_field);
  put_floats(out, h.reference);
  out.insert(out.end(), h.source.begin(), h.source.end());
  return out.size() - start;
}

std::size_t encode(const EprProjection& p, std::vector<std::uint8_t>& out) {
  const std::size_t body = kEprProjectionFixedBytes + sizeof(float) * p.values.size();
  const std::size_t start = out.size();
  detail::put_prefix(out, kMagic, kVersion, static_cast<std::uint16_t>(Kind::kEprProjection), body);
  put<std::uint32_t>(out, p.stream_id);
  put<std::uint32_t>(out, p.index);
  for (double g : p.gradient_g_per_cm) put<double>(out, g);
  put<std::uint32_t>(out, static_cast<std::uint32_t>(p.values.size()));
  put<std::uint32_t>(out, 0);
  put_floats(out, p.values);
  return out.size() - start;
}

EprHeader decode_epr_header(std::span<const std::uint8_t> body) {
  if (body.size() < kEprHeaderFixedBytes) {
    throw WireError(fmt::format("truncated EPR header: body of {} bytes", body.size()));
  }
  EprHeader h;
  h.stream_id = get<std::uint32_t>(body, 0);
  h.dimensions = get<std::uint16_t>(body, 4);
  const std::size_t source_bytes = get<std::uint16_t>(body, 6);
  h.projections = get<std::uint32_t>(body, 8);
  const std::size_t samples = get<std::uint32_t>(body, 12);
  const std::size_t points = get<std::uint32_t>(body, 16);
  if (samples > kMaxEprSamples || points > kMaxEprSamples || source_bytes > kMaxEprSourceText ||
      body.size() != kEprHeaderFixedBytes + sizeof(float) * (samples + 2 * points) + source_bytes) {
    throw WireError(fmt::format(
        "EPR header of {} bytes does not hold its {} field points, {} reference points and {} "
        "bytes of source",
        body.size(), samples, points, source_bytes));
  }
  if (h.dimensions != 2 && h.dimensions != 3) {
    throw WireError(fmt::format("EPR header: {} dimensions (2 or 3)", h.dimensions));
  }
  if (samples < 2 || points < 2) {
    throw WireError(
        fmt::format("EPR header: {} points per projection and {} in the reference (2 or more each)",
                    samples, points));
  }
  std::size_t at = kEprHeaderFixedBytes;
  h.field = get_floats(body, at, samples);
  at += sizeof(float) * samples;
  h.reference_field = get_floats(body, at, points);
  at += sizeof(float) * points;
  h.reference = get_floats(body, at, points);
  at += sizeof(float) * points;
  for (const std::vector<float>* axis : {&h.field, &h.reference_field}) {
    for (std::size_t i = 0; i < axis->size(); ++i) {
      if (!std::isfinite((*axis)[i]) || (i > 0 && !((*axis)[i] > (*axis)[i - 1]))) {
        throw WireError("EPR header: a field axis must be finite and increasing");
      }
    }
  }
  for (float v : h.reference) {
    if (!std::isfinite(v)) throw WireError("EPR header: a non-finite value in the reference");
  }
  h.source.assign(reinterpret_cast<const char*>(body.data() + at), source_bytes);
  return h;
}

EprProjection decode_epr_projection(std::span<const std::uint8_t> body) {
  if (body.size() < kEprProjectionFixedBytes) {
    throw WireError(fmt::format("truncated EPR projection: body of {} bytes", body.size()));
  }
  EprProjection p;
  p.stream_id = get<std::uint32_t>(body, 0);
  p.index = get<std::uint32_t>(body, 4);
  for (std::size_t k = 0; k < 3; ++k) p.gradient_g_per_cm[k] = get<double>(body, 8 + 8 * k);
  const std::size_t n = get<std::uint32_t>(body, 32);
  if (n > kMaxEprSamples || body.size() != kEprProjectionFixedBytes + sizeof(float) * n) {
    throw WireError(
        fmt::format("EPR projection of {} bytes does not hold its {} points", body.size(), n));
  }
  p.values = get_floats(body, kEprProjectionFixedBytes, n);
  return p;
}

void check_projection(const EprHeader& header, const EprProjection& p) {
  if (p.values.size() != header.samples()) {
    throw WireError(fmt::format("projection {} has {} points where the header says {}", p.index,
                                p.values.size(), header.samples()));
  }
  const auto& g = p.gradient_g_per_cm;
  for (double c : g) {
    if (!std::isfinite(c))
      throw WireError(fmt::format("projection {}: a non-finite gradient", p.index));
  }
  if (header.dimensions == 2 && g[2] != 0) {
    throw WireError(
        fmt::format("projection {}: a z gradient of {} G/cm in a 2D acquisition", p.index, g[2]));
  }
  if (std::hypot(g[0], g[1], g[2]) == 0) {
    throw WireError(fmt::format("projection {}: a gradient of zero length", p.index));
  }
  for (std::size_t i = 0; i < p.values.size(); ++i) {
    if (!std::isfinite(p.values[i])) {
      throw WireError(fmt::format("projection {}: a non-finite value ({}) at point {}", p.index,
                                  p.values[i], i));
    }
  }
}

}  // namespace streamdx::wire
