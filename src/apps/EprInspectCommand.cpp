// streamdx epr inspect: what a BES3T (.DSC) or ESP/WinEPR (.par) file holds, as JSON.
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
  json::Json channels = json::Json::array();
  for (const auto& ch : d.channels) {
    json::Json range = {{"complex", !ch.imag.empty()}, {"min", nullptr}, {"max", nullptr}};
    if (!ch.real.empty()) {
      const auto [lo, hi] = std::minmax_element(ch.real.begin(), ch.real.end());
      range["min"] = *lo;
      range["max"] = *hi;
    }
    channels.push_back(std::move(range));
  }
  const auto axis = [](const EprAxis& a) {
    if (a.values.empty()) return json::Json();
    return json::Json{
        {"name", a.name}, {"unit", a.unit}, {"first", a.values.front()}, {"last", a.values.back()}};
  };
  const json::Json out = {{"file", path},
                          {"points", {d.nx, d.ny, d.nz}},
                          {"x", axis(d.x)},
                          {"y", axis(d.y)},
                          {"channels", std::move(channels)}};
  std::fputs(json::text(out).c_str(), stdout);
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
