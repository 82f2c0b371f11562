#include "io/SampleStreamParser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <stdexcept>

namespace streamdx {

namespace {

constexpr std::string_view kRawMagic = "streamdx-raw";

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  return std::string(s.substr(b, s.find_last_not_of(" \t\r") - b + 1));
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t at = 0;
  for (;;) {
    const std::size_t e = s.find(sep, at);
    out.push_back(
        trim(s.substr(at, e == std::string_view::npos ? std::string_view::npos : e - at)));
    if (e == std::string_view::npos) return out;
    at = e + 1;
  }
}

std::optional<double> to_number(const std::string& s) {
  double v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

char separator_of(const std::string& line) {
  for (char c : {',', '\t', ';'}) {
    if (line.find(c) != std::string::npos) return c;
  }
  return ',';
}

}  // namespace

SampleStreamParser::SampleStreamParser(std::string name, double default_rate_hz,
                                       std::string default_label)
    : name_(std::move(name)),
      default_rate_hz_(default_rate_hz),
      default_label_(std::move(default_label)) {}

void SampleStreamParser::fail(const std::string& what) const {
  throw std::runtime_error(fmt::format("{}: {}", name_, what));
}

std::size_t SampleStreamParser::available() const noexcept {
  return columns_.empty() ? 0 : columns_[0].size();
}

void SampleStreamParser::take(std::size_t samples, std::vector<float>& planar) {
  planar.clear();
  for (auto& col : columns_) {
    planar.insert(planar.end(), col.begin(), col.begin() + static_cast<std::ptrdiff_t>(samples));
    col.erase(col.begin(), col.begin() + static_cast<std::ptrdiff_t>(samples));
  }
}

void SampleStreamParser::feed(std::span<const std::uint8_t> bytes) {
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (mode_ == Mode::kRaw && header_) {
      pending_.insert(pending_.end(), bytes.begin() + static_cast<std::ptrdiff_t>(i), bytes.end());
      parse_raw_samples();
      return;
    }
    const char c = static_cast<char>(bytes[i]);
    if (c != '\n') {
      line_ += c;
      if (line_.size() > 1 << 20)
        fail("a line longer than 1 MiB: not a streamdx-raw header or text samples");
      continue;
    }
    ++line_number_;
    if (mode_ == Mode::kUnknown) mode_ = line_.starts_with(kRawMagic) ? Mode::kRaw : Mode::kText;
    if (mode_ == Mode::kRaw) {
      parse_raw_header(line_);
    } else {
      parse_text_line(line_);
    }
    line_.clear();
  }
}

void SampleStreamParser::parse_raw_header(const std::string& line) {
  SampleStreamHeader h;
  const auto fields = split(line, ';');
  if (fields[0] != "streamdx-raw 1")
    fail(fmt::format("unsupported raw header version '{}' (expected 'streamdx-raw 1')", fields[0]));
  std::string type;
  for (std::size_t i = 1; i < fields.size(); ++i) {
    const std::size_t eq = fields[i].find('=');
    if (eq == std::string::npos)
      fail(fmt::format("raw header field '{}' is not key=value", fields[i]));
    const std::string key = trim(std::string_view(fields[i]).substr(0, eq));
    const std::string value = trim(std::string_view(fields[i]).substr(eq + 1));
    if (key == "rate") {
      h.rate_hz = to_number(value).value_or(0);
    } else if (key == "type") {
      type = value;
    } else if (key == "scale") {
      raw_scale_ = to_number(value).value_or(0);
    } else if (key == "channels") {
      h.labels = split(value, ',');
    } else {
      fail(fmt::format("unknown raw header field '{}'", key));
    }
  }
  if (!(h.rate_hz > 0)) fail("raw header needs rate=<Hz> > 0");
  if (type != "float32" && type != "int16")
    fail(fmt::format("raw header type '{}': expected float32 or int16", type));
  if (h.labels.empty() || h.labels[0].empty())
    fail("raw header needs channels=<label>,<label>,...");
  if (!(raw_scale_ > 0)) fail("raw header scale must be > 0");
  raw_int16_ = type == "int16";
  h.format = "raw " + type;
  columns_.assign(h.labels.size(), {});
  header_ = std::move(h);
}

void SampleStreamParser::parse_raw_samples() {
  const std::size_t width = raw_int16_ ? 2 : 4;
  const std::size_t frame = width * columns_.size();
  const std::size_t whole = pending_.size() / frame;
  const std::uint8_t* p = pending_.data();
  for (std::size_t s = 0; s < whole; ++s) {
    for (auto& col : columns_) {
      float v = 0;
      if (raw_int16_) {
        const auto d = static_cast<std::int16_t>(static_cast<std::uint16_t>(p[0] | (p[1] << 8)));
        v = static_cast<float>(d * raw_scale_);
      } else {
        std::memcpy(&v, p, 4);  // little-endian hosts only (static_assert in WireFormat.cpp)
      }
      col.push_back(v);
      p += width;
    }
  }
  samples_parsed_ += whole;
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(whole * frame));
}

void SampleStreamParser::parse_text_line(const std::string& raw) {
  const std::string line = trim(raw);
  if (line.empty()) return;
  if (line[0] == '#') {
    const auto at = line.find("rate");
    const auto eq = line.find('=');
    if (at != std::string::npos && eq != std::string::npos && !header_) {
      const auto rate = to_number(trim(std::string_view(line).substr(eq + 1)));
      if (!rate || !(*rate > 0)) fail(fmt::format("line {}: bad rate in '{}'", line_number_, line));
      default_rate_hz_ = *rate;
    }
    return;
  }
  const auto cells = split(line, separator_of(line));
  std::vector<float> values;
  bool numeric = true;
  for (const auto& c : cells) {
    const auto v = to_number(c);
    if (!v) {
      numeric = false;
      break;
    }
    values.push_back(static_cast<float>(*v));
  }
  if (!header_) {
    SampleStreamHeader h;
    h.format = "text";
    h.rate_hz = default_rate_hz_;
    if (!(h.rate_hz > 0))
      fail(
          "text samples need a sample rate: give --rate HZ (more than 0), or start with a "
          "'# rate=<Hz>' line");
    if (numeric) {
      for (std::size_t i = 0; i < cells.size(); ++i) {
        h.labels.push_back(cells.size() == 1 ? default_label_
                                             : fmt::format("{}{}", default_label_, i + 1));
      }
    } else {
      h.labels = cells;
    }
    columns_.assign(h.labels.size(), {});
    header_ = std::move(h);
    if (!numeric) return;  // that row was the labels
  }
  if (!numeric) fail(fmt::format("line {}: '{}' is not a row of numbers", line_number_, line));
  if (values.size() != columns_.size()) {
    fail(fmt::format("line {}: {} values, expected {} (one per channel)", line_number_,
                     values.size(), columns_.size()));
  }
  for (std::size_t c = 0; c < values.size(); ++c) columns_[c].push_back(values[c]);
  ++samples_parsed_;
}

void SampleStreamParser::finish() {
  if (mode_ == Mode::kText && !trim(line_).empty()) {
    ++line_number_;
    parse_text_line(line_);  // a last line without a newline is complete
    line_.clear();
  }
  if (mode_ == Mode::kRaw && !header_) fail("truncated inside the raw header line");
  if (mode_ == Mode::kRaw && !pending_.empty()) {
    fail(fmt::format("truncated: {} bytes of a partial sample after {} complete samples",
                     pending_.size(), samples_parsed_));
  }
  if (!header_) fail("no samples (empty input)");
}

}  // namespace streamdx
