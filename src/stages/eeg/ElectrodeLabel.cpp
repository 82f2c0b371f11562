#include "stages/eeg/ElectrodeLabel.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace streamdx {

namespace {

std::string upper_trimmed(std::string_view s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto not_space = [](char c) { return c != ' '; };
  out.erase(out.begin(), std::find_if(out.begin(), out.end(), not_space));
  out.erase(std::find_if(out.rbegin(), out.rend(), not_space).base(), out.end());
  return out;
}

bool is_reference_token(std::string_view t) {
  static constexpr std::array<std::string_view, 5> kRefs{"REF", "LE", "AR", "AVG", "CAR"};
  return std::find(kRefs.begin(), kRefs.end(), t) != kRefs.end();
}

}  // namespace

std::optional<std::string> canonical_electrode(std::string_view name) {
  std::string n = upper_trimmed(name);
  if (n == "T7") return "T3";
  if (n == "T8") return "T4";
  if (n == "P7") return "T5";
  if (n == "P8") return "T6";
  // Longest region prefixes first, so that "FP1" is FP+1, not F+P1.
  static constexpr std::array<std::string_view, 14> kRegions{
      "FP", "AF", "FT", "FC", "TP", "CP", "PO", "F", "T", "C", "P", "O", "A", "I"};
  for (std::string_view region : kRegions) {
    if (!n.starts_with(region)) continue;
    const std::string_view rest = std::string_view(n).substr(region.size());
    if (rest == "Z") return n;
    if (!rest.empty() && rest.size() <= 2 && rest[0] != '0' &&
        std::all_of(rest.begin(), rest.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      return n;
    }
    return std::nullopt;  // the region matched but the rest is not a position ("EKG1" never gets
                          // here)
  }
  return std::nullopt;
}

std::optional<LabelTerms> parse_eeg_label(std::string_view label) {
  std::string s = upper_trimmed(label);
  if (s.starts_with("EEG ")) s = upper_trimmed(std::string_view(s).substr(4));
  while (!s.empty() && s.back() == '.') s.pop_back();
  const std::size_t dash = s.find('-');
  if (dash == std::string::npos) {
    auto e = canonical_electrode(s);
    if (!e) return std::nullopt;
    return LabelTerms{*e, std::string(kReferenceNode)};
  }
  if (s.find('-', dash + 1) != std::string::npos) return std::nullopt;
  auto pos = canonical_electrode(std::string_view(s).substr(0, dash));
  if (!pos) return std::nullopt;
  const std::string neg = upper_trimmed(std::string_view(s).substr(dash + 1));
  if (is_reference_token(neg)) return LabelTerms{*pos, std::string(kReferenceNode)};
  auto other = canonical_electrode(neg);
  if (!other || *other == *pos) return std::nullopt;
  return LabelTerms{*pos, *other};
}

}  // namespace streamdx
