#include "io/DetectionFiles.hpp"

#include <fmt/format.h>

namespace streamdx {

namespace {
const char* label_name(bool seizure) {
  return seizure ? "seiz" : "bckg";
}
}  // namespace

std::vector<LabelledSegment> label_segments(const std::vector<EpochDecision>& epochs,
                                            double duration_s) {
  std::vector<LabelledSegment> out;
  std::size_t members = 0;
  for (const EpochDecision& e : epochs) {
    if (!out.empty() && out.back().seizure == e.seizure) {
      out.back().stop_s = e.stop_s;
      out.back().confidence += e.confidence;
      ++members;
      continue;
    }
    if (!out.empty()) out.back().confidence /= static_cast<double>(members);
    out.push_back(
        LabelledSegment{out.empty() ? 0.0 : e.start_s, e.stop_s, e.seizure, e.confidence});
    members = 1;
  }
  if (!out.empty()) {
    out.back().confidence /= static_cast<double>(members);
    out.back().stop_s = std::max(out.back().stop_s, duration_s);
  } else if (duration_s > 0) {
    out.push_back(LabelledSegment{0, duration_s, false, 0});  // too short for any decision
  }
  return out;
}

std::string hyp_text(const std::vector<EpochDecision>& epochs,
                     const std::vector<std::string>& comments) {
  std::string s = "# streamdx hyp v1: one line per 1 s epoch\n";
  for (const std::string& c : comments) s += "# " + c + "\n";
  s += "start stop label confidence\n";
  for (const EpochDecision& e : epochs) {
    s += fmt::format("{:.4f} {:.4f} {} {:.4f}\n", e.start_s, e.stop_s, label_name(e.seizure),
                     e.confidence);
  }
  return s;
}

std::string tse_text(const std::vector<LabelledSegment>& segments) {
  std::string s = "version = tse_v1.0.0\n\n";
  for (const LabelledSegment& g : segments) {
    s += fmt::format("{:.4f} {:.4f} {} {:.4f}\n", g.start_s, g.stop_s, label_name(g.seizure),
                     g.confidence);
  }
  return s;
}

std::string csv_bi_text(const std::vector<LabelledSegment>& segments, const std::string& bname,
                        double duration_s, const std::vector<std::string>& comments) {
  std::string s = fmt::format("# version = csv_v1.0.0\n# bname = {}\n# duration = {:.4f} secs\n",
                              bname, duration_s);
  for (const std::string& c : comments) s += "# " + c + "\n";
  s += "#\nchannel,start_time,stop_time,label,confidence\n";
  for (const LabelledSegment& g : segments) {
    if (!g.seizure) continue;
    s += fmt::format("TERM,{:.4f},{:.4f},seiz,{:.4f}\n", g.start_s, g.stop_s, g.confidence);
  }
  return s;
}

}  // namespace streamdx
