// What the settings catalogue (Settings.hpp) is turned into: checks, TOML and the reference.
#include "core/Settings.hpp"

#include <fmt/format.h>

#include <cmath>

namespace streamdx {

namespace {

using enum SettingType;

std::string_view type_word(SettingType t) {
  switch (t) {
    case kString: return "string";
    case kInt: return "integer";
    case kDouble: return "number";
    case kBool: return "true or false";
  }
  return "?";
}

std::string_view section_of(std::string_view key) {
  return key.substr(0, key.find('.'));
}

// The default as TOML writes it.
std::string default_text(const SettingSpec& s) {
  switch (s.type) {
    case kString: return fmt::format("\"{}\"", s.text);
    case kInt: return fmt::format("{}", static_cast<long long>(s.number));
    case kDouble: return toml_float(s.number);
    case kBool: return s.number != 0 ? "true" : "false";
  }
  return "";
}

std::string limits_text(const SettingSpec& s) {
  if (!s.choices.empty()) return fmt::format("one of {}", s.choices);
  if (s.min && s.max) return fmt::format("{} to {}", *s.min, *s.max);
  if (s.min) return fmt::format("at least {}", *s.min);
  return "";
}

}  // namespace

std::string toml_float(double v) {
  std::string text = fmt::format("{}", v);
  if (text.find_first_of(".eEin") == std::string::npos) text += ".0";
  return text;
}

std::string setting_value_problem(const SettingSpec& spec, double value) {
  if (!std::isfinite(value)) return "must be a finite number";
  if ((spec.min && value < *spec.min) || (spec.max && value > *spec.max)) {
    return fmt::format("must be {}{}", limits_text(spec),
                       spec.unit.empty() ? "" : fmt::format(" {}", spec.unit));
  }
  return "";
}

std::string setting_value_problem(const SettingSpec& spec, std::string_view value) {
  if (spec.choices.empty()) return "";
  std::string_view rest = spec.choices;
  while (!rest.empty()) {
    const std::size_t bar = rest.find('|');
    if (rest.substr(0, bar) == value) return "";
    rest = bar == std::string_view::npos ? std::string_view() : rest.substr(bar + 1);
  }
  return fmt::format("must be {}", limits_text(spec));
}

std::string default_settings_toml() {
  std::string out =
      "# streamdx defaults, as `streamdx config --defaults` prints them. Every setting is "
      "declared\n"
      "# in src/core/Settings.hpp; `streamdx config --doc` describes each with its unit and\n"
      "# limits. A config file (--config FILE) may set any of these keys and no others, with the\n"
      "# same types and within the limits; `--set section.key=value` overrides any single key.\n";
  std::string_view section;
  for (const SettingSpec& s : setting_specs()) {
    if (section_of(s.key) != section) {
      section = section_of(s.key);
      out += fmt::format("\n[{}]\n", section);
    }
    out += fmt::format("{} = {}  # {}\n", s.key.substr(section.size() + 1), default_text(s), s.doc);
  }
  return out;
}

std::string settings_reference() {
  std::string out;
  for (const SettingSpec& s : setting_specs()) {
    const std::string limits = limits_text(s);
    out += fmt::format("{} ({}{}{}), default {}{}\n    {}\n", s.key, type_word(s.type),
                       s.unit.empty() ? "" : ", ", s.unit, default_text(s),
                       limits.empty() ? "" : fmt::format("; {}", limits), s.doc);
  }
  return out;
}

}  // namespace streamdx
