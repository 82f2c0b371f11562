#include "stages/eeg/TcpMontage.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>

#include "stages/eeg/ElectrodeLabel.hpp"

namespace streamdx {

namespace {

struct Edge {
  std::size_t input;
  std::string a;  // the channel is a - b
  std::string b;
};

class ElectrodeGraph {
 public:
  void add(std::size_t input, const LabelTerms& t) {
    // A pair recorded twice (CHB-MIT repeats T8-P8) is used once: the first occurrence.
    const auto key = std::minmax(t.positive, t.negative);
    if (!pairs_.insert({key.first, key.second}).second) return;
    const std::size_t e = edges_.size();
    edges_.push_back(Edge{input, t.positive, t.negative});
    adjacency_[t.positive].push_back(e);
    adjacency_[t.negative].push_back(e);
  }

  [[nodiscard]] bool has(const std::string& node) const { return adjacency_.contains(node); }

  // Signed terms for from - to along the shortest path, or nullopt if they are not connected.
  [[nodiscard]] std::optional<std::vector<MontageTerm>> derive(const std::string& from,
                                                               const std::string& to) const {
    if (!has(from) || !has(to)) return std::nullopt;
    std::map<std::string, std::pair<std::string, std::size_t>>
        came_from;  // node -> (previous node, edge)
    std::deque<std::string> queue{from};
    came_from[from] = {from, edges_.size()};
    while (!queue.empty() && !came_from.contains(to)) {
      const std::string u = queue.front();
      queue.pop_front();
      for (std::size_t e : adjacency_.at(u)) {  // in input order: deterministic ties
        const std::string& v = edges_[e].a == u ? edges_[e].b : edges_[e].a;
        if (came_from.contains(v)) continue;
        came_from[v] = {u, e};
        queue.push_back(v);
      }
    }
    if (!came_from.contains(to)) return std::nullopt;
    std::vector<MontageTerm> terms;
    for (std::string v = to; v != from;) {
      const auto& [u, e] = came_from.at(v);
      // Step u -> v contributes u - v: +channel if the channel is u - v, else -channel.
      terms.push_back(MontageTerm{edges_[e].input, edges_[e].a == u ? 1.0F : -1.0F});
      v = u;
    }
    std::reverse(terms.begin(), terms.end());
    return terms;
  }

 private:
  std::vector<Edge> edges_;
  std::map<std::string, std::vector<std::size_t>> adjacency_;
  std::set<std::pair<std::string, std::string>> pairs_;
};

}  // namespace

MontageKind parse_montage_kind(std::string_view name) {
  if (name == "auto") return MontageKind::kAuto;
  if (name == "tcp22") return MontageKind::kTcp22;
  if (name == "tcp20") return MontageKind::kTcp20;
  if (name == "none") return MontageKind::kNone;
  throw std::invalid_argument(fmt::format("unknown montage '{}' (auto, tcp22, tcp20, none)", name));
}

std::string_view montage_kind_name(MontageKind kind) {
  switch (kind) {
    case MontageKind::kAuto: return "auto";
    case MontageKind::kTcp22: return "tcp22";
    case MontageKind::kTcp20: return "tcp20";
    case MontageKind::kNone: return "none";
  }
  return "?";
}

const std::vector<std::string>& tcp_channel_labels(MontageKind kind) {
  static const std::vector<std::string> k22{"FP1-F7", "F7-T3", "T3-T5",  "T5-O1", "FP2-F8", "F8-T4",
                                            "T4-T6",  "T6-O2", "A1-T3",  "T3-C3", "C3-CZ",  "CZ-C4",
                                            "C4-T4",  "T4-A2", "FP1-F3", "F3-C3", "C3-P3",  "P3-O1",
                                            "FP2-F4", "F4-C4", "C4-P4",  "P4-O2"};
  static const std::vector<std::string> k20 = [] {
    std::vector<std::string> v;
    for (const auto& l : k22) {
      if (l != "A1-T3" && l != "T4-A2") v.push_back(l);
    }
    return v;
  }();
  if (kind == MontageKind::kTcp20) return k20;
  if (kind == MontageKind::kTcp22) return k22;
  throw std::invalid_argument("tcp_channel_labels needs tcp20 or tcp22");
}

std::string MontagePlan::describe(std::size_t channel,
                                  const std::vector<std::string>& input_labels) const {
  const MontageChannel& c = channels.at(channel);
  std::string out = c.label + " =";
  for (const MontageTerm& t : c.terms)
    out += fmt::format(" {}[{}]", t.sign > 0 ? '+' : '-', input_labels.at(t.input));
  return out;
}

MontagePlan plan_montage(const std::vector<std::string>& labels, const std::vector<bool>& is_signal,
                         MontageKind kind) {
  MontagePlan plan;
  if (kind == MontageKind::kNone) {
    plan.kind = kind;
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (is_signal.at(i))
        plan.channels.push_back(MontageChannel{labels[i], {MontageTerm{i, 1.0F}}});
    }
  } else {
    ElectrodeGraph graph;
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (!is_signal.at(i)) continue;
      if (auto t = parse_eeg_label(labels[i])) graph.add(i, *t);
    }
    const bool automatic = kind == MontageKind::kAuto;
    if (automatic) {
      const bool ears =
          graph.derive("A1", "T3").has_value() && graph.derive("T4", "A2").has_value();
      kind = ears ? MontageKind::kTcp22 : MontageKind::kTcp20;
    }
    plan.kind = kind;
    std::set<std::string> absent;
    std::vector<std::string> unlinked;
    for (const std::string& pair : tcp_channel_labels(kind)) {
      const std::size_t dash = pair.find('-');
      const std::string x = pair.substr(0, dash);
      const std::string y = pair.substr(dash + 1);
      if (auto terms = graph.derive(x, y)) {
        plan.channels.push_back(MontageChannel{pair, std::move(*terms)});
        continue;
      }
      if (!graph.has(x)) absent.insert(x);
      if (!graph.has(y)) absent.insert(y);
      if (graph.has(x) && graph.has(y)) unlinked.push_back(pair);
      plan.missing.push_back(pair);
    }
    // The model is channel-based: "auto" runs on the TCP channels a recording can form (CHB-MIT's
    // 18 bipolar derivations), and says which are missing; a named montage must be whole.
    const bool partial_ok = automatic && !plan.channels.empty();
    if (!plan.missing.empty() && !partial_ok) {
      std::string why;
      if (!absent.empty()) why = fmt::format("missing electrodes {}", fmt::join(absent, ", "));
      if (!unlinked.empty()) {
        why += fmt::format("{}no channel links the electrodes of {}", why.empty() ? "" : "; ",
                           fmt::join(unlinked, ", "));
      }
      throw std::invalid_argument(fmt::format(
          "cannot form the {} montage: {} (--montage none keeps the recording's own channels)",
          montage_kind_name(kind), why));
    }
  }
  std::set<std::size_t> used;
  for (const MontageChannel& c : plan.channels) {
    for (const MontageTerm& t : c.terms) used.insert(t.input);
  }
  plan.used_inputs.assign(used.begin(), used.end());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (!used.contains(i)) plan.dropped_inputs.push_back(i);
  }
  return plan;
}

}  // namespace streamdx
