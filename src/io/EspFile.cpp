#include "io/EspFile.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "io/TextParsing.hpp"

namespace streamdx {

namespace {

constexpr std::size_t kMaxPoints = std::size_t{1} << 24;

std::filesystem::path data_file(const std::filesystem::path& par) {
  for (const char* ext : {".spc", ".SPC"}) {
    auto p = par;
    p.replace_extension(ext);
    if (std::filesystem::exists(p)) return p;
  }
  auto p = par;
  return p.replace_extension(".spc");
}

std::size_t count_of(const EprDataset& d, const char* key) {
  const auto v = d.number(key);
  if (!v) return 0;
  if (*v < 1 || *v > static_cast<double>(kMaxPoints) || *v != std::floor(*v)) {
    throw_file_error(d.source, fmt::format("{} {} is not a point count (1 to {})", key,
                                           d.parameters.at(key), kMaxPoints));
  }
  return static_cast<std::size_t>(*v);
}

}  // namespace

EprDataset read_esp(const std::filesystem::path& par) {
  const auto spc = data_file(par);
  const std::string text = read_text_file(par);
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(spc, ec);
  if (ec) throw_file_error(spc, "cannot open");
  // Sizes are checked against the parameters before the data is read (parse_esp repeats it).
  if (bytes > 4 * kMaxPoints)
    throw_file_error(spc, fmt::format("{} bytes is more than any spectrum holds", bytes));
  const std::string raw = read_text_file(spc);
  return parse_esp(
      text,
      std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size()),
      par);
}

EprDataset parse_esp(std::string_view par_text, std::span<const std::uint8_t> raw,
                     const std::filesystem::path& par) {
  EprDataset out;
  out.source = par;
  for (auto& [k, v] : parse_parameter_lines(par_text)) out.parameters.emplace(k, v);
  const bool winepr = out.parameters.contains("DOS");
  const std::size_t bytes = raw.size();
  const auto spc = data_file(par);
  if (bytes % 4 != 0 || bytes == 0)
    throw_file_error(spc, fmt::format("{} bytes is not a whole number of 4-byte values", bytes));

  // 2D ESP data: SSX points in x, SSY slices; JSS bit 12 marks it.
  const std::size_t ssx = count_of(out, "SSX");
  const std::size_t ssy = count_of(out, "SSY");
  const auto jss = out.number("JSS").value_or(0);
  const bool two_d = ssx > 0 && ssy > 0 && (static_cast<long>(jss) & (1L << 12)) != 0;
  if (two_d) {
    out.nx = ssx;
    out.ny = ssy;
  } else if (const std::size_t anz = count_of(out, "ANZ"); anz > 0) {
    out.nx = anz;
  } else if (const std::size_t res = count_of(out, "RES"); res > 0) {
    out.nx = res;
  } else {
    out.nx = bytes / 4;
  }
  if (out.points() * 4 != bytes) {
    throw_file_error(spc, fmt::format("holds {} bytes but {}'s point count {} needs {}", bytes,
                                      par.filename().string(), out.points(), out.points() * 4));
  }

  out.channels.resize(1);
  auto& values = out.channels[0].real;
  values.resize(out.points());
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::array<std::uint8_t, 4> b{};
    std::memcpy(b.data(), &raw[i * 4], 4);
    const bool big = !winepr;
    if (big != (std::endian::native == std::endian::big)) std::reverse(b.begin(), b.end());
    values[i] = winepr ? static_cast<double>(std::bit_cast<float>(b))
                       : static_cast<double>(std::bit_cast<std::int32_t>(b));
  }

  // Assigned whole: GCC 12 warns (-Wrestrict, a known false positive) on short literal assigns.
  out.x.name = std::string("Field");
  out.x.unit = std::string("G");
  if (const auto gst = out.number("GST"), gsi = out.number("GSI"); gst && gsi) {
    out.x.values = linear_axis(*gst, *gsi, out.nx);
  } else if (const auto hcf = out.number("HCF"), hsw = out.number("HSW"); hcf && hsw) {
    out.x.values = linear_axis(*hcf - *hsw / 2, *hsw, out.nx);
  } else {
    out.x.unit = std::string();
    out.x.values = linear_axis(0, static_cast<double>(out.nx - 1), out.nx);
  }
  return out;
}

}  // namespace streamdx
