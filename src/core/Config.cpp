#include "core/Config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>
#include <charconv>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/FileErrors.hpp"
#include "core/Settings.hpp"

namespace streamdx {

struct Config::Impl {
  toml::table
      schema;  // the defaults (Settings.hpp), also defining which keys exist and their types
  toml::table values;
};

namespace {

std::runtime_error config_error(std::string_view origin, std::string_view what) {
  return std::runtime_error(fmt::format("config {}: {}", origin, what));
}

std::string_view type_name(toml::node_type t) {
  switch (t) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "true or false";
    case toml::node_type::table: return "a table";
    default: return "an unsupported type";
  }
}

std::pair<std::string_view, std::string_view> split_key(std::string_view key) {
  const std::size_t dot = key.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == key.size()) {
    throw std::invalid_argument(fmt::format("config key '{}' is not of the form section.key", key));
  }
  return {key.substr(0, dot), key.substr(dot + 1)};
}

const toml::node& schema_node(const toml::table& schema, std::string_view key) {
  const auto [section, name] = split_key(key);
  const toml::table* sec = schema.get_as<toml::table>(section);
  const toml::node* node = sec != nullptr ? sec->get(name) : nullptr;
  if (node == nullptr) throw std::invalid_argument(fmt::format("unknown config key '{}'", key));
  return *node;
}

// Refuses a value outside the catalogue's limits or choices, naming the key and its origin.
void check_limits(std::string_view key, const toml::node& value, std::string_view origin) {
  const SettingSpec* spec = find_setting(key);
  if (spec == nullptr) return;
  std::string problem;
  if (const auto d = value.value_exact<double>()) problem = setting_value_problem(*spec, *d);
  if (const auto i = value.value_exact<std::int64_t>()) {
    problem = setting_value_problem(*spec, static_cast<double>(*i));
  }
  if (const auto str = value.value_exact<std::string>())
    problem = setting_value_problem(*spec, *str);
  if (!problem.empty()) {
    std::string shown;
    value.visit([&](const auto& v) {
      std::ostringstream o;
      o << v;
      shown = o.str();
    });
    throw config_error(origin, fmt::format("'{}' = {}: {}", key, shown, problem));
  }
}

// Stores `value` at `key` after checking it against the schema's type and limits.
void assign(const toml::table& schema, toml::table& values, std::string_view key,
            const toml::node& value, std::string_view origin) {
  const toml::node& expected = schema_node(schema, key);
  const auto [section, name] = split_key(key);
  toml::table& sec = *values.get_as<toml::table>(section);
  if (expected.type() == toml::node_type::floating_point && value.is_integer()) {
    const toml::value<double> as_double(static_cast<double>(*value.value<std::int64_t>()));
    check_limits(key, as_double, origin);
    sec.insert_or_assign(name, *as_double);
    return;
  }
  if (expected.type() != value.type()) {
    throw config_error(origin, fmt::format("'{}' must be {}, not {}", key,
                                           type_name(expected.type()), type_name(value.type())));
  }
  check_limits(key, value, origin);
  const std::string_view field = name;  // clang 14 cannot capture a structured binding
  value.visit([&](const auto& v) { sec.insert_or_assign(field, v); });
}

}  // namespace

Config::Config() : impl_(std::make_unique<Impl>()) {
  impl_->schema = toml::parse(default_settings_toml(), std::string_view("the settings catalogue"));
  impl_->values = impl_->schema;
}

Config::~Config() = default;
Config::Config(const Config& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}
Config& Config::operator=(const Config& other) {
  *impl_ = *other.impl_;
  return *this;
}

void Config::merge_text(std::string_view text, std::string_view origin) {
  toml::table incoming;
  try {
    incoming = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    throw config_error(
        origin, fmt::format("line {}, column {}: {}", where.line, where.column, e.description()));
  }
  toml::table merged = impl_->values;  // applied only if every key is valid
  for (const auto& [section, node] : incoming) {
    const toml::table* sec = node.as_table();
    if (sec == nullptr) {
      throw config_error(origin, fmt::format("'{}' must be a [section]", section.str()));
    }
    for (const auto& [name, value] : *sec) {
      const std::string key = fmt::format("{}.{}", section.str(), name.str());
      try {
        assign(impl_->schema, merged, key, value, origin);
      } catch (const std::invalid_argument& e) {
        throw config_error(origin, e.what());
      }
    }
  }
  impl_->values = std::move(merged);
}

void Config::merge_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("config " + cannot_open(path));
  std::stringstream text;
  text << in.rdbuf();
  merge_text(text.str(), path.string());
}

void Config::set(std::string_view assignment) {
  const std::size_t eq = assignment.find('=');
  if (eq == std::string_view::npos) {
    throw std::invalid_argument(fmt::format("--set '{}': expected section.key=value", assignment));
  }
  const std::string_view key = assignment.substr(0, eq);
  const std::string_view text = assignment.substr(eq + 1);
  const toml::node& expected = schema_node(impl_->schema, key);
  const std::string origin = fmt::format("--set {}", assignment);
  auto bad = [&] {
    return config_error(origin, fmt::format("'{}' must be {}", key, type_name(expected.type())));
  };
  switch (expected.type()) {
    case toml::node_type::string:
      assign(impl_->schema, impl_->values, key, toml::value<std::string>(std::string(text)),
             origin);
      break;
    case toml::node_type::boolean:
      if (text != "true" && text != "false") throw bad();
      assign(impl_->schema, impl_->values, key, toml::value<bool>(text == "true"), origin);
      break;
    case toml::node_type::integer: {
      std::int64_t v = 0;
      const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
      if (r.ec != std::errc() || r.ptr != text.data() + text.size()) throw bad();
      assign(impl_->schema, impl_->values, key, toml::value<std::int64_t>(v), origin);
      break;
    }
    case toml::node_type::floating_point: {
      double v = 0;
      const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
      if (r.ec != std::errc() || r.ptr != text.data() + text.size()) throw bad();
      assign(impl_->schema, impl_->values, key, toml::value<double>(v), origin);
      break;
    }
    default: throw bad();
  }
}

namespace {
template <class T>
T get_typed(const toml::table& values, const toml::table& schema, std::string_view key) {
  schema_node(schema, key);
  const auto [section, name] = split_key(key);
  const std::optional<T> v = values[section][name].value<T>();
  if (!v) throw std::logic_error(fmt::format("config key '{}' read with the wrong type", key));
  return *v;
}

template <class T>
void set_typed(const toml::table& schema, toml::table& values, std::string_view key, T value) {
  const toml::value<T> node(std::move(value));
  assign(schema, values, key, node, "command line");
}
}  // namespace

std::string Config::get_string(std::string_view key) const {
  return get_typed<std::string>(impl_->values, impl_->schema, key);
}
double Config::get_double(std::string_view key) const {
  return get_typed<double>(impl_->values, impl_->schema, key);
}
std::int64_t Config::get_int(std::string_view key) const {
  return get_typed<std::int64_t>(impl_->values, impl_->schema, key);
}
bool Config::get_bool(std::string_view key) const {
  return get_typed<bool>(impl_->values, impl_->schema, key);
}

void Config::set_string(std::string_view key, std::string_view value) {
  set_typed<std::string>(impl_->schema, impl_->values, key, std::string(value));
}
void Config::set_double(std::string_view key, double value) {
  set_typed<double>(impl_->schema, impl_->values, key, value);
}
void Config::set_int(std::string_view key, std::int64_t value) {
  set_typed<std::int64_t>(impl_->schema, impl_->values, key, value);
}
void Config::set_bool(std::string_view key, bool value) {
  set_typed<bool>(impl_->schema, impl_->values, key, value);
}

std::string Config::to_toml() const {
  std::string out;
  std::string_view section;
  for (const SettingSpec& spec : setting_specs()) {
    const std::string_view sec = spec.key.substr(0, spec.key.find('.'));
    if (sec != section) {
      out += fmt::format("{}[{}]\n", section.empty() ? "" : "\n", sec);
      section = sec;
    }
    const toml::node& v = *impl_->values[sec][spec.key.substr(sec.size() + 1)].node();
    std::string text;
    if (const auto d = v.value_exact<double>()) {
      text = toml_float(*d);
    } else {
      std::ostringstream o;
      v.visit([&](const auto& x) { o << x; });
      text = o.str();
    }
    out += fmt::format("{} = {}\n", spec.key.substr(sec.size() + 1), text);
  }
  return out;
}

}  // namespace streamdx
