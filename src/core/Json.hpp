#pragma once
// Minimal JSON text helpers for machine-readable command output (inspect, version). Values are
// formatted by the caller; these only quote strings correctly and format numbers exactly.
#include <fmt/format.h>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace streamdx::json {

// A JSON string literal for `s` (UTF-8 passes through; control characters are escaped).
inline std::string quote(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x",
                        static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// A number that round-trips, in the shortest form (fmt's); null for NaN or infinity.
inline std::string number(double v) {
  return std::isfinite(v) ? fmt::format("{}", v) : "null";
}

}  // namespace streamdx::json

namespace streamdx::json {

// The number after "key": in a flat JSON object this program wrote (sidecars), or nullopt. Not a
// general parser: keys must be unique in the text.
inline std::optional<double> find_number(std::string_view text, std::string_view key) {
  std::string pattern(1, '"');  // built by appends: GCC 12 warns (-Wrestrict) on "..." + string
  pattern += key;
  pattern += '"';
  auto at = text.find(pattern);
  if (at == std::string_view::npos) return std::nullopt;
  at = text.find(':', at + pattern.size());
  if (at == std::string_view::npos) return std::nullopt;
  const std::string rest(text.substr(at + 1, 64));
  char* end = nullptr;
  const double v = std::strtod(rest.c_str(), &end);
  if (end == rest.c_str()) return std::nullopt;
  return v;
}

}  // namespace streamdx::json
