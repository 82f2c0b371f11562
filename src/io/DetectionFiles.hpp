#pragma once
// The detection outputs as text: HYP (every epoch), TSE (labelled segments covering the whole
// recording) and csv_bi (seizure events, Temple's NEDC v6 format). Pure functions of the epoch
// decisions, so the same decisions always give the same bytes, online or offline.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace streamdx {

struct EpochDecision {
  double start_s = 0;
  double stop_s = 0;
  bool seizure = false;
  double confidence = 0;
};

struct LabelledSegment {
  double start_s = 0;
  double stop_s = 0;
  bool seizure = false;
  double confidence = 0;  // mean of its epochs' confidences
};

// Consecutive epochs of one label merged, from 0 to `duration_s`: the first segment starts at
// 0 and the last one is extended to the end of the recording (the partial last epoch that no
// window covered takes the label before it).
std::vector<LabelledSegment> label_segments(const std::vector<EpochDecision>& epochs,
                                            double duration_s);

// label_segments() one epoch at a time, for a run that does not keep its epochs: the same
// arithmetic in the same order, so the same bits. Holds one entry per change of label.
class SegmentBuilder {
 public:
  void add(const EpochDecision& e);
  [[nodiscard]] std::vector<LabelledSegment> finish(double duration_s) const;

 private:
  std::vector<LabelledSegment> segments_;  // the last one's confidence still a sum
  std::size_t members_ = 0;                // epochs in the last segment
};

// `comments` become "# " lines at the top (version, model hash, provenance).
std::string hyp_text(const std::vector<EpochDecision>& epochs,
                     const std::vector<std::string>& comments);
// hyp_text() in two parts, for writing it as the epochs come: the lines before the first
// epoch, and one epoch's line.
std::string hyp_header(const std::vector<std::string>& comments);
std::string hyp_line(const EpochDecision& e);
std::string tse_text(const std::vector<LabelledSegment>& segments);
std::string csv_bi_text(const std::vector<LabelledSegment>& segments, const std::string& bname,
                        double duration_s, const std::vector<std::string>& comments);

// Reads what hyp_text() writes (comment lines, the column line, then "start stop label
// confidence" rows); throws std::runtime_error "<name>:<line>: <what is wrong>".
std::vector<EpochDecision> parse_hyp(std::string_view text, std::string_view name);
std::vector<EpochDecision> read_hyp(const std::filesystem::path& path);

}  // namespace streamdx
