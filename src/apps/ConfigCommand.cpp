// streamdx config: the effective configuration, as TOML.
#include <cstdio>

#include "apps/CommandLine.hpp"
#include "core/Settings.hpp"

namespace streamdx {

namespace {

class ConfigCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    auto* doc =
        cmd.add_flag("--doc", doc_, "describe every setting: type, default, unit, limits, meaning");
    cmd.add_flag("--defaults", defaults_,
                 "print the defaults as a commented TOML file (configs/default.toml)")
        ->excludes(doc);
    config_.add_to(cmd);
  }
  int run() override {
    if (doc_) {
      std::fputs(settings_reference().c_str(), stdout);
      return 0;
    }
    if (defaults_) {
      std::fputs(default_settings_toml().c_str(), stdout);
      return 0;
    }
    const Config config = config_.load();
    std::fputs(config.to_toml().c_str(), stdout);
    return 0;
  }

 private:
  cli::ConfigOptions config_;
  bool doc_ = false;
  bool defaults_ = false;
};

const cli::CommandRegistration<ConfigCli> kRegistered{
    {"config", "Print the effective configuration as TOML (--doc: what each setting means)", 20}};

}  // namespace

}  // namespace streamdx
