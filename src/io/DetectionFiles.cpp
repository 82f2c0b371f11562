#include "io/DetectionFiles.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "io/TextParsing.hpp"

namespace streamdx {

namespace {

// One comment line, whatever the text holds: a peer's error text with a newline would
// otherwise end the comment and break the file for every reader (and escape bytes would reach
// a terminal that prints it). Control characters become spaces.
std::string comment_line(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

}  // namespace

namespace {
const char* label_name(bool seizure) {
  return seizure ? "seiz" : "bckg";
}
}  // namespace

void SegmentBuilder::add(const EpochDecision& e) {
  if (!segments_.empty() && segments_.back().seizure == e.seizure) {
    segments_.back().stop_s = e.stop_s;
    segments_.back().confidence += e.confidence;
    ++members_;
    return;
  }
  if (!segments_.empty()) segments_.back().confidence /= static_cast<double>(members_);
  segments_.push_back(
      LabelledSegment{segments_.empty() ? 0.0 : e.start_s, e.stop_s, e.seizure, e.confidence});
  members_ = 1;
}

std::vector<LabelledSegment> SegmentBuilder::finish(double duration_s) const {
  std::vector<LabelledSegment> out = segments_;
  if (!out.empty()) {
    out.back().confidence /= static_cast<double>(members_);
    out.back().stop_s = std::max(out.back().stop_s, duration_s);
  } else if (duration_s > 0) {
    out.push_back(LabelledSegment{0, duration_s, false, 0});  // too short for any decision
  }
  return out;
}

std::vector<LabelledSegment> label_segments(const std::vector<EpochDecision>& epochs,
                                            double duration_s) {
  SegmentBuilder builder;
  for (const EpochDecision& e : epochs) builder.add(e);
  return builder.finish(duration_s);
}

std::string hyp_header(const std::vector<std::string>& comments) {
  std::string s = "# streamdx hyp v1: one line per 1 s epoch\n";
  for (const std::string& c : comments) s += "# " + comment_line(c) + "\n";
  s += "start stop label confidence\n";
  return s;
}

std::string hyp_line(const EpochDecision& e) {
  return fmt::format("{:.4f} {:.4f} {} {:.4f}\n", e.start_s, e.stop_s, label_name(e.seizure),
                     e.confidence);
}

std::string hyp_text(const std::vector<EpochDecision>& epochs,
                     const std::vector<std::string>& comments) {
  std::string s = hyp_header(comments);
  for (const EpochDecision& e : epochs) s += hyp_line(e);
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
  for (const std::string& c : comments) s += "# " + comment_line(c) + "\n";
  s += "#\nchannel,start_time,stop_time,label,confidence\n";
  for (const LabelledSegment& g : segments) {
    if (!g.seizure) continue;
    s += fmt::format("TERM,{:.4f},{:.4f},seiz,{:.4f}\n", g.start_s, g.stop_s, g.confidence);
  }
  return s;
}

std::vector<EpochDecision> parse_hyp(std::string_view text, std::string_view name) {
  std::vector<EpochDecision> epochs;
  bool columns_seen = false;
  std::size_t line_no = 0;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    if (!columns_seen) {
      if (line != "start stop label confidence") {
        throw std::runtime_error(fmt::format(
            "{}:{}: expected the column line 'start stop label confidence'", name, line_no));
      }
      columns_seen = true;
      continue;
    }
    std::array<std::string_view, 4> cells;
    std::size_t n = 0;
    std::size_t pos = 0;
    while (pos < line.size()) {
      const std::size_t b = line.find_first_not_of(' ', pos);
      if (b == std::string_view::npos) break;
      const std::size_t e = std::min(line.find(' ', b), line.size());
      if (n == cells.size()) {
        throw std::runtime_error(fmt::format("{}:{}: more than 4 fields", name, line_no));
      }
      cells[n++] = line.substr(b, e - b);
      pos = e;
    }
    if (n != cells.size()) {
      throw std::runtime_error(fmt::format("{}:{}: expected 4 fields, found {}", name, line_no, n));
    }
    EpochDecision d;
    d.start_s = parse_number(cells[0], name, line_no);
    d.stop_s = parse_number(cells[1], name, line_no);
    if (cells[2] != "seiz" && cells[2] != "bckg") {
      throw std::runtime_error(
          fmt::format("{}:{}: label '{}' is neither seiz nor bckg", name, line_no, cells[2]));
    }
    d.seizure = cells[2] == "seiz";
    d.confidence = parse_number(cells[3], name, line_no);
    if (!(d.stop_s > d.start_s) || !(d.start_s >= 0)) {
      throw std::runtime_error(fmt::format("{}:{}: epoch {}..{} s is not a forward interval", name,
                                           line_no, cells[0], cells[1]));
    }
    epochs.push_back(d);
  }
  if (!columns_seen) throw std::runtime_error(fmt::format("{}: no HYP column line", name));
  return epochs;
}

std::vector<EpochDecision> read_hyp(const std::filesystem::path& path) {
  return parse_hyp(read_text_file(path), path.string());
}

}  // namespace streamdx
