// streamdx config: the effective configuration, as TOML.
#include <cstdio>

#include "apps/CommandLine.hpp"

namespace streamdx {

namespace {

class ConfigCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override { config_.add_to(cmd); }
  int run() override {
    const Config config = config_.load();
    std::fputs(config.to_toml().c_str(), stdout);
    std::fputc('\n', stdout);
    return 0;
  }

 private:
  cli::ConfigOptions config_;
};

const cli::CommandRegistration<ConfigCli> kRegistered{
    {"config", "Print the effective configuration as TOML", 20}};

}  // namespace

}  // namespace streamdx
