// streamdx: the command-line entry point. Each command lives in its own file and registers
// itself (CommandLine.hpp); this only sets up logging and hands the line over.
#include <CLI/CLI.hpp>
#include <string>

#include "apps/CommandLine.hpp"
#include "core/Log.hpp"
#include "core/SignalStop.hpp"
#include "core/Version.hpp"

int main(int argc, char** argv) {
  // Before anything can start a thread: SIGINT and SIGTERM then reach only the gate's thread.
  streamdx::install_signal_gate();
  streamdx::init_logging("info");  // errors found while reading the config must reach stderr too
  CLI::App app{"streamdx: real-time EEG seizure detection and EPR deconvolution, streaming"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(streamdx::version_string()));
  return streamdx::cli::run_command_line(app, argc, argv);
}
