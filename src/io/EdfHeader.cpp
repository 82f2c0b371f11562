#include "io/EdfHeader.hpp"
#include "core/FileErrors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <stdexcept>

namespace streamdx {

namespace {

constexpr std::size_t kFixedBytes = 256;
constexpr std::size_t kPerSignalBytes = 256;
constexpr std::int64_t kMaxSignals = 4096;

std::string field(const std::vector<std::uint8_t>& b, std::size_t offset, std::size_t length) {
  std::string s(reinterpret_cast<const char*>(b.data() + offset), length);
  const auto not_space = [](char c) { return c != ' ' && c != '\0'; };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

double number(const std::string& text, const std::string& what, const std::filesystem::path& file) {
  std::string t = text;
  std::replace(t.begin(), t.end(), ',', '.');  // a decimal comma, as some European writers use
  double v = 0;
  const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || r.ec != std::errc() || r.ptr != t.data() + t.size() || !std::isfinite(v)) {
    throw std::runtime_error(
        fmt::format("{}: {} is '{}', not a number", file.string(), what, text));
  }
  return v;
}

std::int64_t integer(const std::string& text, const std::string& what,
                     const std::filesystem::path& file) {
  const double v = number(text, what, file);
  if (v != std::floor(v)) {
    throw std::runtime_error(
        fmt::format("{}: {} is '{}', not a whole number", file.string(), what, text));
  }
  // Beyond 2^53 a double no longer counts whole numbers, and beyond 2^63 the conversion is
  // undefined: no EDF field means such a count.
  if (std::fabs(v) > 9007199254740992.0) {
    throw std::runtime_error(
        fmt::format("{}: {} is '{}', out of range", file.string(), what, text));
  }
  return static_cast<std::int64_t>(v);
}

}  // namespace

std::int64_t EdfHeader::record_bytes() const {
  std::int64_t n = 0;
  for (const EdfSignalHeader& s : signals) n += s.samples_per_record;
  return n * bytes_per_sample();
}

std::string EdfHeader::kind_name() const {
  switch (kind) {
    case EdfKind::kEdf: return "EDF";
    case EdfKind::kEdfPlusContinuous: return "EDF+C";
    case EdfKind::kEdfPlusDiscontinuous: return "EDF+D";
    case EdfKind::kBdf: return "BDF";
    case EdfKind::kBdfPlusContinuous: return "BDF+C";
    case EdfKind::kBdfPlusDiscontinuous: return "BDF+D";
  }
  return "?";
}

namespace {

// What makes a data signal's samples meaningless, refused by name: equal physical limits give a
// flat signal (and a confident "no seizure"), a digital minimum above the maximum inverts the
// polarity, and a zero record duration leaves no sample rate.
void check_data_signal(const EdfSignalHeader& s, const EdfHeader& h, const std::string& what,
                       const std::filesystem::path& name) {
  if (s.digital_min >= s.digital_max) {
    throw std::runtime_error(fmt::format("{}: {} has digital minimum {} not below its maximum {}",
                                         name.string(), what, s.digital_min, s.digital_max));
  }
  if (s.physical_min == s.physical_max) {
    throw std::runtime_error(
        fmt::format("{}: {} has equal physical minimum and maximum ({}): every sample would read "
                    "the same",
                    name.string(), what, s.physical_min));
  }
  if (!(h.record_duration_s > 0)) {
    throw std::runtime_error(fmt::format("{}: data record duration {} s gives {} no sample rate",
                                         name.string(), h.record_duration_s, what));
  }
}

EdfKind edf_kind(const std::string& reserved, bool bdf) {
  if (reserved.starts_with("EDF+C")) return EdfKind::kEdfPlusContinuous;
  if (reserved.starts_with("EDF+D")) return EdfKind::kEdfPlusDiscontinuous;
  if (reserved.starts_with("BDF+C")) return EdfKind::kBdfPlusContinuous;
  if (reserved.starts_with("BDF+D")) return EdfKind::kBdfPlusDiscontinuous;
  return bdf ? EdfKind::kBdf : EdfKind::kEdf;
}

// Signal i of n: its fields are stored field by field (all labels, then all transducers, ...).
EdfSignalHeader signal_header(const std::vector<std::uint8_t>& b, std::size_t n, std::size_t i,
                              const EdfHeader& h, const std::filesystem::path& name) {
  auto sig = [&](std::size_t base, std::size_t width, std::size_t index) {
    return field(b, kFixedBytes + base * n + index * width, width);
  };
  EdfSignalHeader s;
  s.label = sig(0, 16, i);
  const std::string what = fmt::format("signal {} ('{}')", i + 1, s.label);
  s.transducer = sig(16, 80, i);
  s.physical_dimension = sig(96, 8, i);
  s.physical_min = number(sig(104, 8, i), what + " physical minimum", name);
  s.physical_max = number(sig(112, 8, i), what + " physical maximum", name);
  s.digital_min =
      static_cast<std::int32_t>(integer(sig(120, 8, i), what + " digital minimum", name));
  s.digital_max =
      static_cast<std::int32_t>(integer(sig(128, 8, i), what + " digital maximum", name));
  s.prefilter = sig(136, 80, i);
  s.samples_per_record =
      static_cast<std::int32_t>(integer(sig(216, 8, i), what + " samples per record", name));
  if (s.samples_per_record < 1) {
    throw std::runtime_error(
        fmt::format("{}: {} has {} samples per record", name.string(), what, s.samples_per_record));
  }
  s.is_annotation = s.label == "EDF Annotations" || s.label == "BDF Annotations";
  if (!s.is_annotation) check_data_signal(s, h, what, name);
  s.microvolts_per_unit = microvolts_per_unit(s.physical_dimension);
  s.sample_rate_hz = h.record_duration_s > 0 ? s.samples_per_record / h.record_duration_s : 0.0;
  return s;
}

// An unknown (-1) record count is taken from the file's size; more records than the file holds
// is a truncated file.
void settle_record_count(EdfHeader& h, std::int64_t file_size, const std::filesystem::path& name) {
  if (file_size >= 0) {
    const std::int64_t rb = h.record_bytes();
    const std::int64_t whole = rb > 0 ? (file_size - h.header_bytes) / rb : 0;
    if (h.records < 0) {
      h.records = whole;
      h.records_recomputed = true;
    } else if (h.records > whole) {
      throw std::runtime_error(
          fmt::format("{}: header announces {} data records, the file holds {} (truncated)",
                      name.string(), h.records, whole));
    }
  } else if (h.records < 0) {
    throw std::runtime_error(
        fmt::format("{}: unknown record count and unknown file size", name.string()));
  }
}

}  // namespace

double microvolts_per_unit(std::string_view dimension) {
  std::string d;
  for (const char c : dimension) {
    if (c != ' ') d += c;
  }
  if (d.empty() || (d.back() != 'V' && d.back() != 'v')) return 1.0;
  const std::string prefix = d.substr(0, d.size() - 1);
  if (prefix.empty()) return 1e6;  // V
  if (prefix == "m") return 1e3;   // mV
  if (prefix == "n") return 1e-3;  // nV
  return 1.0;                      // uV, µV (UTF-8 or Latin-1), microV
}

EdfHeader EdfHeader::read(const std::filesystem::path& path) {
  require_file(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(cannot_open(path));
  std::error_code ec;
  const auto size = static_cast<std::int64_t>(std::filesystem::file_size(path, ec));
  std::vector<std::uint8_t> bytes(kFixedBytes);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (in.gcount() != static_cast<std::streamsize>(kFixedBytes)) {
    throw std::runtime_error(fmt::format("{}: truncated: {} bytes, an EDF header needs 256",
                                         path.string(), in.gcount()));
  }
  const std::int64_t ns = integer(field(bytes, 252, 4), "the signal count", path);
  if (ns < 1 || ns > kMaxSignals) {
    throw std::runtime_error(
        fmt::format("{}: {} signals (expected 1 to {})", path.string(), ns, kMaxSignals));
  }
  bytes.resize(kFixedBytes + static_cast<std::size_t>(ns) * kPerSignalBytes);
  in.read(reinterpret_cast<char*>(bytes.data() + kFixedBytes),
          static_cast<std::streamsize>(bytes.size() - kFixedBytes));
  if (static_cast<std::size_t>(in.gcount()) != bytes.size() - kFixedBytes) {
    throw std::runtime_error(fmt::format(
        "{}: truncated inside the signal headers ({} signals announced)", path.string(), ns));
  }
  return parse(bytes, ec ? -1 : size, path);
}

EdfHeader EdfHeader::parse(const std::vector<std::uint8_t>& b, std::int64_t file_size,
                           const std::filesystem::path& name) {
  if (b.size() < kFixedBytes)
    throw std::runtime_error(fmt::format("{}: truncated header", name.string()));
  EdfHeader h;
  h.path = name;
  const bool bdf = b[0] == 0xFF && field(b, 1, 7) == "BIOSEMI";
  if (!bdf && field(b, 0, 8) != "0") {
    throw std::runtime_error(fmt::format("{}: not an EDF or BDF file (version field '{}')",
                                         name.string(), field(b, 0, 8)));
  }
  h.patient = field(b, 8, 80);
  h.recording = field(b, 88, 80);
  h.start_date = field(b, 168, 8);
  h.start_time = field(b, 176, 8);
  h.header_bytes = integer(field(b, 184, 8), "the header size", name);
  const std::string reserved = field(b, 192, 44);
  h.kind = edf_kind(reserved, bdf);
  if (bdf != h.is_bdf()) {
    throw std::runtime_error(fmt::format("{}: reserved field says {} but the version field says {}",
                                         name.string(), reserved, bdf ? "BDF" : "EDF"));
  }
  h.records = integer(field(b, 236, 8), "the data record count", name);
  h.record_duration_s = number(field(b, 244, 8), "the data record duration", name);
  if (h.record_duration_s < 0)
    throw std::runtime_error(fmt::format("{}: negative data record duration", name.string()));
  const std::int64_t ns = integer(field(b, 252, 4), "the signal count", name);
  if (ns < 1 || ns > kMaxSignals ||
      b.size() < kFixedBytes + static_cast<std::size_t>(ns) * kPerSignalBytes) {
    throw std::runtime_error(
        fmt::format("{}: {} signals do not fit the header", name.string(), ns));
  }
  if (h.header_bytes !=
      static_cast<std::int64_t>(kFixedBytes + static_cast<std::size_t>(ns) * kPerSignalBytes)) {
    throw std::runtime_error(fmt::format(
        "{}: header size field says {} bytes, {} signals need {}", name.string(), h.header_bytes,
        ns, kFixedBytes + static_cast<std::size_t>(ns) * kPerSignalBytes));
  }

  const auto n = static_cast<std::size_t>(ns);
  for (std::size_t i = 0; i < n; ++i) h.signals.push_back(signal_header(b, n, i, h, name));

  settle_record_count(h, file_size, name);
  return h;
}

}  // namespace streamdx
