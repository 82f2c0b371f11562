#include "stages/eeg/EegFileSource.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <optional>
#include <stdexcept>

#include "stages/eeg/ElectrodeLabel.hpp"

namespace streamdx {

std::vector<std::string> EegFileSource::labels() const {
  std::vector<std::string> out;
  for (const EdfSignalHeader& s : reader_->header().signals) out.push_back(s.label);
  return out;
}

std::vector<bool> montage_candidates(const EdfHeader& h, MontageKind kind) {
  std::vector<bool> ok;
  for (const EdfSignalHeader& s : h.signals) ok.push_back(!s.is_annotation && s.sample_rate_hz > 0);
  if (kind != MontageKind::kNone) return ok;
  std::optional<double> rate;
  for (std::size_t i = 0; i < h.signals.size() && !rate; ++i) {
    if (ok[i] && parse_eeg_label(h.signals[i].label)) rate = h.signals[i].sample_rate_hz;
  }
  for (std::size_t i = 0; i < h.signals.size() && !rate; ++i) {
    if (ok[i]) rate = h.signals[i].sample_rate_hz;
  }
  for (std::size_t i = 0; i < h.signals.size(); ++i)
    ok[i] = ok[i] && h.signals[i].sample_rate_hz == rate;
  return ok;
}

EegFileSource::EegFileSource(const std::filesystem::path& path, const EegSourceSettings& settings)
    : reader_(open_edf(path)) {
  const EdfHeader& h = reader_->header();
  const std::vector<bool> is_signal = montage_candidates(h, settings.montage);
  MontagePlan plan;
  try {
    plan = plan_montage(labels(), is_signal, settings.montage);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(fmt::format("{}: {}", path.string(), e.what()));
  }
  // Every channel the montage reads must have the same rate.
  const double rate = h.signals[plan.used_inputs.front()].sample_rate_hz;
  std::vector<std::string> odd;
  for (std::size_t i : plan.used_inputs) {
    if (h.signals[i].sample_rate_hz != rate)
      odd.push_back(fmt::format("'{}' ({} Hz)", h.signals[i].label, h.signals[i].sample_rate_hz));
  }
  if (!odd.empty()) {
    throw std::runtime_error(fmt::format(
        "{}: montage channels differ in sample rate: '{}' is {} Hz but {}", path.string(),
        h.signals[plan.used_inputs.front()].label, rate, fmt::join(odd, ", ")));
  }
  frames_.start(std::move(plan), labels(), rate, settings);
  next_record_ = settings.first_record;
  end_record_ = settings.end_record < 0 ? h.records : std::min(settings.end_record, h.records);
  if (settings.first_record > 0) {
    reader_->seek_record(settings.first_record);
    frames_.preprocessor().start_at_input(
        settings.first_record *
        h.signals[frames_.preprocessor().plan().used_inputs.front()].samples_per_record);
  }
}

std::optional<SourceBlockInfo> EegFileSource::produce(std::span<float> out,
                                                      const std::stop_token& stop) {
  return frames_.next(out, stop, [this] {
    double onset = 0;
    const auto& used = frames_.preprocessor().plan().used_inputs;
    if (next_record_ >= end_record_ || !reader_->next_record(used, block_, onset)) return false;
    ++next_record_;
    const auto samples =
        static_cast<std::size_t>(reader_->header().signals[used.front()].samples_per_record);
    // In µV whatever the file's unit: an mV recording must not be taken as µV.
    for (std::size_t k = 0; k < used.size(); ++k) {
      const double scale = reader_->header().signals[used[k]].microvolts_per_unit;
      if (scale == 1.0) continue;
      for (std::size_t i = 0; i < samples; ++i) {
        block_[k * samples + i] = static_cast<float>(block_[k * samples + i] * scale);
      }
    }
    try {
      frames_.preprocessor().push(block_, samples, onset);
    } catch (const std::runtime_error& e) {
      throw std::runtime_error(fmt::format("{}: {}", reader_->header().path.string(), e.what()));
    }
    return true;
  });
}

}  // namespace streamdx
