// streamdx epr inspect: what a BES3T (.DSC) or ESP/WinEPR (.par) file holds, as JSON.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>

#include "apps/CommandLine.hpp"
#include "apps/EprGroup.hpp"
#include "core/Json.hpp"
#include "io/Bes3tFile.hpp"
#include "io/EspFile.hpp"

namespace streamdx {

namespace {

int run_epr_inspect(const std::string& path) {
  const std::filesystem::path p(path);
  std::string ext = p.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const EprDataset d = ext == ".par" ? read_esp(p) : read_bes3t(p);
  std::string channels;
  for (std::size_t c = 0; c < d.channels.size(); ++c) {
    const auto& ch = d.channels[c];
    const auto [lo, hi] = std::minmax_element(ch.real.begin(), ch.real.end());
    channels +=
        fmt::format("{}{{\"complex\": {}, \"min\": {}, \"max\": {}}}", c ? ", " : "",
                    ch.imag.empty() ? "false" : "true", json::number(*lo), json::number(*hi));
  }
  auto axis = [](const EprAxis& a) {
    if (a.values.empty()) return std::string("null");
    return fmt::format("{{\"name\": {}, \"unit\": {}, \"first\": {}, \"last\": {}}}",
                       json::quote(a.name), json::quote(a.unit), json::number(a.values.front()),
                       json::number(a.values.back()));
  };
  std::printf(
      "{\"file\": %s, \"points\": [%zu, %zu, %zu], \"x\": %s, \"y\": %s, \"channels\": [%s]}\n",
      json::quote(path).c_str(), d.nx, d.ny, d.nz, axis(d.x).c_str(), axis(d.y).c_str(),
      channels.c_str());
  return 0;
}

class EprInspectCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    cmd.add_option("FILE", path_, "BES3T .DSC or ESP/WinEPR .par")->required();
  }
  int run() override { return run_epr_inspect(path_); }

 private:
  std::string path_;
};

const cli::CommandRegistration<EprInspectCli> kRegistered{
    {"inspect", "Print what a BES3T (.DSC) or ESP/WinEPR (.par) file holds, as JSON", 40,
     kEprGroup}};

}  // namespace

}  // namespace streamdx
