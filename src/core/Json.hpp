#pragma once
// Minimal JSON text helpers for machine-readable command output (inspect, version). Values are
// formatted by the caller; these only quote strings correctly and format numbers exactly.
#include <fmt/format.h>
#include <cmath>
#include <cstdio>
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
