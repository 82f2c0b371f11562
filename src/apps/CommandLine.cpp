#include "apps/CommandLine.hpp"

#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <limits>
#include <map>
#include <stdexcept>
#include <utility>

#include "core/Log.hpp"

namespace streamdx::cli {

std::vector<RegisteredCommand>& registered_commands() {
  static std::vector<RegisteredCommand> commands;
  return commands;
}

std::vector<RegisteredGroup>& registered_groups() {
  static std::vector<RegisteredGroup> groups;
  return groups;
}

void ConfigOptions::add_to(CLI::App& cmd) {
  cmd.add_option("--config", file_, "TOML file merged over configs/default.toml")
      ->check(CLI::ExistingFile);
  cmd.add_option("--set", overrides_, "Override one key: section.key=value (repeatable)");
  cmd.add_option("--log-level", log_level_,
                 "trace, debug, info, warn, error, critical or off (default: log.level)");
}

Config ConfigOptions::load() const {
  Config config;
  if (!file_.empty()) config.merge_file(file_);
  for (const std::string& o : overrides_) config.set(o);
  if (!log_level_.empty()) config.set_string("log.level", log_level_);
  init_logging(config.get_string("log.level"));
  return config;
}

void add_source_options(CLI::App& cmd, SourceOptions& source) {
  cmd.add_flag("--realtime", source.realtime, "Replay at wall-clock speed");
  cmd.add_option("--seed", source.seed, "simulate.seed");
  cmd.add_option("--duration", source.duration_s, "simulate.duration_s (seconds)");
  cmd.add_option(
      "--threads", source.threads,
      "per-stage, single, or a thread number per stage, e.g. 0,0,1,1,1 (pipeline.threads)");
  cmd.add_option("--montage", source.montage, "auto, tcp22, tcp20 or none (eeg.montage)");
  cmd.add_option("--rate", source.input_rate_hz,
                 "sample rate of text input, Hz (eeg.input_rate_hz)");
}

namespace {

struct Built {
  CLI::App* app;
  std::unique_ptr<Command> command;
};

// Every registered command as a subcommand of `app` or of its group. The top level (commands
// and groups) is laid out first, by `order`, then each group's commands by theirs: --help
// lists subcommands in the order they were added.
std::vector<Built> build_commands(CLI::App& app) {
  std::vector<RegisteredCommand> commands = registered_commands();
  std::sort(commands.begin(), commands.end(), [](const auto& a, const auto& b) {
    return std::pair(!a.info.group.empty(), a.info.order) <
           std::pair(!b.info.group.empty(), b.info.order);
  });
  std::vector<RegisteredGroup> groups = registered_groups();
  std::sort(groups.begin(), groups.end(),
            [](const auto& a, const auto& b) { return a.order < b.order; });
  std::map<std::string_view, CLI::App*> group_apps;
  std::vector<Built> built;
  auto next_group = groups.begin();
  const auto add_groups_before = [&](int order) {
    for (; next_group != groups.end() && next_group->order < order; ++next_group) {
      CLI::App* g =
          app.add_subcommand(std::string(next_group->name), std::string(next_group->description));
      g->require_subcommand(1);
      group_apps[next_group->name] = g;
    }
  };
  for (const RegisteredCommand& c : commands) {
    if (c.info.group.empty()) {
      add_groups_before(c.info.order);
    } else {
      add_groups_before(std::numeric_limits<int>::max());
    }
    const auto group = group_apps.find(c.info.group);
    if (!c.info.group.empty() && group == group_apps.end()) {
      throw std::logic_error(
          fmt::format("command '{}': group '{}' is not registered", c.info.name, c.info.group));
    }
    CLI::App& parent = c.info.group.empty() ? app : *group->second;
    CLI::App* sub =
        parent.add_subcommand(std::string(c.info.name), std::string(c.info.description));
    std::unique_ptr<Command> command = c.make();
    command->define(*sub);
    built.push_back({sub, std::move(command)});
  }
  add_groups_before(std::numeric_limits<int>::max());
  return built;
}

}  // namespace

int run_command_line(CLI::App& app, int argc, char** argv) {
  std::vector<Built> commands = build_commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;  // usage errors exit 2, like most Unix tools
  }
  try {
    for (Built& c : commands) {
      if (c.app->parsed()) return c.command->run();
    }
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    std::fflush(stderr);
    return 1;
  }
  return 2;
}

}  // namespace streamdx::cli
