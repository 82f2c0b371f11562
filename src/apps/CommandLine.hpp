#pragma once
// One way to add a command: one file that declares the command's options, says what it does,
// and registers itself. main() only parses the line and runs what was chosen.
//
//   namespace {
//   class ScoreCommand final : public Command {
//    public:
//     void define(CLI::App& cmd) override { cmd.add_option("REF", ref_, "...")->required(); }
//     int run() override { ...call a library, print... }
//    private:
//     std::string ref_;
//   };
//   const CommandRegistration<ScoreCommand> kScore{{"score", "Score seizure detections ...", 60}};
//   }  // namespace
//
// Commands are listed in --help by `order`; a command under a group ("epr simulate") names the
// group, which is registered once with its own description (GroupRegistration).
#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/Config.hpp"
#include "runtime/SourceOptions.hpp"

namespace streamdx::cli {

// --config, --set and --log-level, for commands that read the configuration.
class ConfigOptions {
 public:
  void add_to(CLI::App& cmd);
  // The effective configuration: defaults, the file, the overrides, the log level; logging set.
  [[nodiscard]] Config load() const;

 private:
  std::string file_;
  std::vector<std::string> overrides_;
  std::string log_level_;
};

// What a source argument may be, for every command that reads EEG.
inline constexpr const char* kSourceHelp =
    "sim | - (stdin) | FILE.edf/.bdf | FILE.csv/.txt/.raw | FILE.sdxf | ZeroMQ endpoint "
    "(connects unless '@')";

// --realtime, --seed, --duration, --threads, --montage and --rate (SourceOptions.hpp).
void add_source_options(CLI::App& cmd, SourceOptions& source);

class Command {
 public:
  virtual ~Command() = default;
  virtual void define(CLI::App& cmd) = 0;  // its options, positionals and checks
  virtual int run() = 0;                   // the exit code
};

struct CommandInfo {
  std::string_view name;
  std::string_view description;
  int order = 0;                // place in --help
  std::string_view group = "";  // "" for a top-level command
};

struct RegisteredCommand {
  CommandInfo info;
  std::unique_ptr<Command> (*make)();
};

struct RegisteredGroup {
  std::string_view name;
  std::string_view description;
  int order = 0;
};

std::vector<RegisteredCommand>& registered_commands();
std::vector<RegisteredGroup>& registered_groups();

template <class C>
struct CommandRegistration {
  // noexcept: a registration that cannot allocate ends the program at start-up, as it should.
  explicit CommandRegistration(CommandInfo info) noexcept {
    registered_commands().push_back(
        {info, []() -> std::unique_ptr<Command> { return std::make_unique<C>(); }});
  }
};

struct GroupRegistration {
  explicit GroupRegistration(RegisteredGroup group) noexcept {
    registered_groups().push_back(group);
  }
};

// Builds every registered command into `app`, parses argv and runs the chosen one. The exit
// code: the command's, 2 for a usage error, 1 for an error it threw (logged on one line).
int run_command_line(CLI::App& app, int argc, char** argv);

}  // namespace streamdx::cli
