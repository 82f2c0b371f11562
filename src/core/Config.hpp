#pragma once
// Config: the effective settings of one run. Built from the compiled-in configs/default.toml,
// then a user's TOML file, then `--set key=value` overrides and typed command-line flags, in that
// order. The defaults are the schema: an unknown key or a value of the wrong type is an error
// that names the key and where it came from, so a typo never silently does nothing.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace streamdx {

class Config {
 public:
  Config();  // the defaults
  ~Config();
  Config(const Config&);
  Config& operator=(const Config&);

  // Merges a TOML file over the current values.
  void merge_file(const std::filesystem::path& path);
  // Merges TOML text (`origin` names it in errors).
  void merge_text(std::string_view toml, std::string_view origin);
  // Applies "section.key=value"; the value is parsed as the key's type.
  void set(std::string_view assignment);

  [[nodiscard]] std::string get_string(std::string_view key) const;
  [[nodiscard]] double get_double(std::string_view key) const;
  [[nodiscard]] std::int64_t get_int(std::string_view key) const;
  [[nodiscard]] bool get_bool(std::string_view key) const;

  void set_string(std::string_view key, std::string_view value);
  void set_double(std::string_view key, double value);
  void set_int(std::string_view key, std::int64_t value);
  void set_bool(std::string_view key, bool value);

  // The effective configuration as TOML, for output headers and `streamdx config`.
  [[nodiscard]] std::string to_toml() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace streamdx
