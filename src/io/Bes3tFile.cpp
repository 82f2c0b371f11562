#include "io/Bes3tFile.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <stdexcept>

#include "io/AtomicFile.hpp"
#include "io/TextParsing.hpp"

namespace streamdx {

namespace {

// No EPR instrument records more points than this on one axis, nor in one file; a header asking
// for more is corrupt.
constexpr std::size_t kMaxAxisPoints = std::size_t{1} << 24;
constexpr std::size_t kMaxTotalPoints = std::size_t{1} << 28;

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// The sibling of `path` with extension `ext` ("DTA", "YGF"): upper or lower case, whichever is
// there, matching the descriptor's case first.
std::filesystem::path sibling(const std::filesystem::path& path, std::string_view ext) {
  const bool lower = path.extension().string() == ".dsc";
  std::string first(ext);
  std::string second(ext);
  for (char& c : lower ? first : second)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto a = path;
  a.replace_extension("." + first);
  if (std::filesystem::exists(a)) return a;
  auto b = path;
  b.replace_extension("." + second);
  return std::filesystem::exists(b) ? b : a;
}

struct ValueType {
  char code;
  std::size_t bytes;
};

ValueType value_type(const std::filesystem::path& file, const std::string& key, std::string code) {
  code = upper(code);
  if (code == "C") return {'C', 1};
  if (code == "S") return {'S', 2};
  if (code == "I") return {'I', 4};
  if (code == "F") return {'F', 4};
  if (code == "D") return {'D', 8};
  throw_file_error(file,
                   fmt::format("{} '{}' is not a BES3T value type (C, S, I, F or D)", key, code));
}

template <class T>
T load(const std::uint8_t* p, bool big_endian) {
  std::array<std::uint8_t, sizeof(T)> b{};
  std::memcpy(b.data(), p, sizeof(T));
  if (big_endian != (std::endian::native == std::endian::big)) std::reverse(b.begin(), b.end());
  return std::bit_cast<T>(b);
}

double decode(const std::uint8_t* p, char code, bool big_endian) {
  switch (code) {
    case 'C': return static_cast<double>(static_cast<std::int8_t>(*p));
    case 'S': return static_cast<double>(load<std::int16_t>(p, big_endian));
    case 'I': return static_cast<double>(load<std::int32_t>(p, big_endian));
    case 'F': return static_cast<double>(load<float>(p, big_endian));
    default: return load<double>(p, big_endian);
  }
}

std::vector<std::uint8_t> read_exactly(const std::filesystem::path& file, std::size_t bytes,
                                       const std::string& sizes) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) throw_file_error(file, "cannot open");
  if (size != bytes) {
    throw_file_error(
        file, fmt::format("holds {} bytes but the descriptor's {} need {}", size, sizes, bytes));
  }
  std::vector<std::uint8_t> out(bytes);
  std::ifstream in(file, std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(bytes))) {
    throw_file_error(file, "short read");
  }
  return out;
}

class Descriptor {
 public:
  Descriptor(std::filesystem::path path, std::string_view text) : path_(std::move(path)) {
    for (auto& [k, v] : parse_parameter_lines(text)) keys_.emplace(k, v);
  }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] const std::map<std::string, std::string>& keys() const { return keys_; }
  [[nodiscard]] bool has(const std::string& key) const { return keys_.contains(key); }
  [[nodiscard]] std::string text(const std::string& key) const {
    const auto it = keys_.find(key);
    if (it == keys_.end()) throw_file_error(path_, fmt::format("missing key {}", key));
    return it->second;
  }
  [[nodiscard]] std::string text_or(const std::string& key, const std::string& fallback) const {
    const auto it = keys_.find(key);
    return it == keys_.end() ? fallback : it->second;
  }
  [[nodiscard]] double number(const std::string& key) const {
    const std::string v = text(key);
    char* end = nullptr;
    const double d = std::strtod(v.c_str(), &end);
    if (end == v.c_str() || !std::isfinite(d))
      throw_file_error(path_, fmt::format("{} '{}' is not a number", key, v));
    return d;
  }
  [[nodiscard]] std::size_t count(const std::string& key) const {
    const double d = number(key);
    if (d < 1 || d > static_cast<double>(kMaxAxisPoints) || d != std::floor(d)) {
      throw_file_error(path_, fmt::format("{} {} is not a point count (1 to {})", key, text(key),
                                          kMaxAxisPoints));
    }
    return static_cast<std::size_t>(d);
  }
  // "A,B,C" split at commas, trimmed.
  [[nodiscard]] std::vector<std::string> list(const std::string& key) const {
    std::vector<std::string> out;
    std::string cur;
    for (const char c : text(key) + ",") {
      if (c == ',') {
        out.emplace_back(trim(cur));
        cur.clear();
      } else {
        cur += c;
      }
    }
    return out;
  }

 private:
  std::filesystem::path path_;
  std::map<std::string, std::string> keys_;
};

EprAxis read_axis(const Descriptor& dsc, char axis, std::size_t points, bool big_endian) {
  const std::string a(1, axis);
  EprAxis out;
  const std::string type = upper(dsc.text_or(a + "TYP", "NODATA"));
  if (type == "NODATA") return out;
  out.name = dsc.text_or(a + "NAM", "");
  out.unit = dsc.text_or(a + "UNI", "");
  if (type == "IGD") {
    const auto file = sibling(dsc.path(), a + "GF");
    if (std::filesystem::exists(file)) {
      const ValueType vt = value_type(dsc.path(), a + "FMT", dsc.text_or(a + "FMT", "D"));
      const auto bytes = read_exactly(file, points * vt.bytes, fmt::format("{}PTS {}", a, points));
      out.values.resize(points);
      for (std::size_t i = 0; i < points; ++i)
        out.values[i] = decode(&bytes[i * vt.bytes], vt.code, big_endian);
      return out;
    }
    spdlog::debug("{}: {}TYP IGD but no {} beside it; using the evenly spaced {}MIN/{}WID axis",
                  dsc.path().string(), a, file.filename().string(), a, a);
  } else if (type != "IDX") {
    throw_file_error(dsc.path(), fmt::format("{}TYP '{}' is not IDX, IGD or NODATA", a, type));
  }
  out.values = linear_axis(dsc.number(a + "MIN"), dsc.number(a + "WID"), points);
  return out;
}

// Everything but reading files: `data` is the whole .DTA (or nullopt to read it from beside
// `path` once its expected size is known and checked against the file's).
EprDataset decode_bes3t(const Descriptor& dsc, std::optional<std::span<const std::uint8_t>> data) {
  const auto& path = dsc.path();
  EprDataset out;
  out.source = path;
  out.parameters = dsc.keys();

  const std::string order = upper(dsc.text("BSEQ"));
  if (order != "BIG" && order != "LIT")
    throw_file_error(path, fmt::format("BSEQ '{}' is not BIG or LIT", order));
  const bool big = order == "BIG";

  out.nx = dsc.count("XPTS");
  out.ny = upper(dsc.text_or("YTYP", "NODATA")) == "NODATA" ? 1 : dsc.count("YPTS");
  out.nz = upper(dsc.text_or("ZTYP", "NODATA")) == "NODATA" ? 1 : dsc.count("ZPTS");
  if (out.nx * out.ny > kMaxTotalPoints || out.nx * out.ny * out.nz > kMaxTotalPoints) {
    throw_file_error(
        path, fmt::format("XPTS x YPTS x ZPTS = {} x {} x {} is more points than any file holds",
                          out.nx, out.ny, out.nz));
  }

  const auto kinds = dsc.list("IKKF");
  const auto formats = dsc.list("IRFMT");
  if (kinds.size() != formats.size()) {
    throw_file_error(
        path, fmt::format("IKKF names {} channels but IRFMT {}", kinds.size(), formats.size()));
  }
  if (kinds.size() > 64)
    throw_file_error(path, fmt::format("IKKF names {} channels", kinds.size()));
  std::vector<ValueType> types;
  std::vector<bool> complex;
  std::size_t bytes_per_point = 0;
  for (std::size_t c = 0; c < kinds.size(); ++c) {
    const std::string kind = upper(kinds[c]);
    if (kind != "REAL" && kind != "CPLX")
      throw_file_error(path, fmt::format("IKKF '{}' is not REAL or CPLX", kinds[c]));
    complex.push_back(kind == "CPLX");
    types.push_back(value_type(path, "IRFMT", formats[c]));
    bytes_per_point += types.back().bytes * (complex.back() ? 2 : 1);
  }

  const std::size_t n = out.points();
  const std::string sizes = fmt::format("XPTS x YPTS x ZPTS = {} x {} x {} ({} bytes a point)",
                                        out.nx, out.ny, out.nz, bytes_per_point);
  std::vector<std::uint8_t> file_bytes;
  if (!data) {
    file_bytes = read_exactly(sibling(path, "DTA"), n * bytes_per_point, sizes);
    data = file_bytes;
  } else if (data->size() != n * bytes_per_point) {
    throw_file_error(path, fmt::format("data holds {} bytes but the descriptor's {} need {}",
                                       data->size(), sizes, n * bytes_per_point));
  }
  out.channels.resize(kinds.size());
  for (std::size_t c = 0; c < kinds.size(); ++c) {
    out.channels[c].real.resize(n);
    if (complex[c]) out.channels[c].imag.resize(n);
  }
  const std::uint8_t* p = data->data();
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t c = 0; c < kinds.size(); ++c) {
      out.channels[c].real[i] = decode(p, types[c].code, big);
      p += types[c].bytes;
      if (complex[c]) {
        out.channels[c].imag[i] = decode(p, types[c].code, big);
        p += types[c].bytes;
      }
    }
  }
  out.x = read_axis(dsc, 'X', out.nx, big);
  out.y = read_axis(dsc, 'Y', out.ny, big);
  out.z = read_axis(dsc, 'Z', out.nz, big);
  return out;
}

}  // namespace

EprDataset read_bes3t(const std::filesystem::path& path) {
  return decode_bes3t(Descriptor(path, read_text_file(path)), std::nullopt);
}

EprDataset parse_bes3t(std::string_view dsc_text, std::span<const std::uint8_t> dta,
                       const std::filesystem::path& name) {
  return decode_bes3t(Descriptor(name, dsc_text), dta);
}

namespace {

void append_big_endian(std::vector<std::uint8_t>& out, double v) {
  auto b = std::bit_cast<std::array<std::uint8_t, 8>>(v);
  if constexpr (std::endian::native == std::endian::little) std::reverse(b.begin(), b.end());
  out.insert(out.end(), b.begin(), b.end());
}

bool evenly_spaced(const std::vector<double>& v) {
  if (v.size() < 3) return true;
  const double step = (v.back() - v.front()) / static_cast<double>(v.size() - 1);
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (std::abs(v[i] - (v.front() + step * static_cast<double>(i))) > 1e-9 * std::abs(step)) {
      return false;
    }
  }
  return true;
}

}  // namespace

void write_bes3t(const std::filesystem::path& dsc, const EprDataset& data) {
  if (data.channels.size() != 1 || !data.channels[0].imag.empty() ||
      data.channels[0].real.size() != data.points()) {
    throw std::invalid_argument(
        fmt::format("{}: write_bes3t takes one REAL channel of nx*ny*nz values", dsc.string()));
  }
  std::string text = "#DESC\t1.2 * DESCRIPTOR INFORMATION ***********************\n";
  text += "*\tWritten by streamdx\n";
  auto key = [&](std::string_view k, const std::string& v) {
    text += fmt::format("{}\t{}\n", k, v);
  };
  key("DSRC", "EXP");
  key("BSEQ", "BIG");
  key("IKKF", "REAL");
  const bool has_y = data.ny > 1 || !data.y.values.empty();
  const bool y_grid = has_y && !evenly_spaced(data.y.values);
  key("XTYP", "IDX");
  key("YTYP", has_y ? (y_grid ? "IGD" : "IDX") : "NODATA");
  key("ZTYP", "NODATA");
  key("IRFMT", "D");
  if (y_grid) key("YFMT", "D");
  auto axis = [&](char a, const EprAxis& ax, std::size_t n) {
    key(fmt::format("{}PTS", a), std::to_string(n));
    const double first = ax.values.empty() ? 0.0 : ax.values.front();
    const double last = ax.values.empty() ? static_cast<double>(n - 1) : ax.values.back();
    key(fmt::format("{}MIN", a), fmt::format("{:.17g}", first));
    key(fmt::format("{}WID", a), fmt::format("{:.17g}", last - first));
    key(fmt::format("{}NAM", a), "'" + ax.name + "'");
    key(fmt::format("{}UNI", a), "'" + ax.unit + "'");
  };
  axis('X', data.x, data.nx);
  if (has_y) axis('Y', data.y, data.ny);
  text += "#SPL\t1.2 * STANDARD PARAMETER LAYER\n";
  static const std::set<std::string> kLayout = {"DSRC",  "BSEQ", "IKKF", "XTYP", "YTYP", "ZTYP",
                                                "IRFMT", "YFMT", "XPTS", "XMIN", "XWID", "XNAM",
                                                "XUNI",  "YPTS", "YMIN", "YWID", "YNAM", "YUNI"};
  for (const auto& [k, v] : data.parameters) {
    if (!kLayout.contains(k)) key(k, v);
  }

  std::vector<std::uint8_t> values;
  values.reserve(data.points() * 8);
  for (const double v : data.channels[0].real) append_big_endian(values, v);
  std::vector<std::uint8_t> grid;
  if (y_grid) {
    for (const double v : data.y.values) append_big_endian(grid, v);
  }

  auto dta = dsc;
  dta.replace_extension(".DTA");
  AtomicFile dta_file(dta);
  dta_file.write(values);
  std::optional<AtomicFile> ygf_file;
  if (y_grid) {
    auto ygf = dsc;
    ygf.replace_extension(".YGF");
    ygf_file.emplace(ygf);
    ygf_file->write(grid);
  }
  AtomicFile dsc_file(dsc);
  dsc_file.write(text);
  dta_file.commit();
  if (ygf_file) ygf_file->commit();
  dsc_file.commit();  // last, so a descriptor never points at missing data
}

}  // namespace streamdx
