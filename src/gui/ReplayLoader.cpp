#include "gui/ReplayLoader.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <QDate>
#include <QDateTime>
#include <QTime>
#include <cmath>
#include <stdexcept>

#include "io/EdfReader.hpp"

namespace streamdx {

namespace {

// EDF keeps the start as "dd.mm.yy" and "hh.mm.ss", local time at the recording site; years
// 85-99 are 19xx (the EDF specification's clipping date).
std::optional<std::int64_t> edf_start_ms(const EdfHeader& h) {
  const QDate d = QDate::fromString(QString::fromStdString(h.start_date), "dd.MM.yy");
  const QTime t = QTime::fromString(QString::fromStdString(h.start_time), "hh.mm.ss");
  if (!d.isValid() || !t.isValid()) return std::nullopt;
  const int year = d.year() % 100;
  const QDate full(year >= 85 ? 1900 + year : 2000 + year, d.month(), d.day());
  return QDateTime(full, t).toMSecsSinceEpoch();
}

}  // namespace

ViewerModel load_replay(const std::filesystem::path& signal_path,
                        const std::filesystem::path& hyp_path) {
  std::unique_ptr<EdfRecordReader> reader = open_edf(signal_path);
  const EdfHeader& h = reader->header();
  ViewerModel model;
  model.title = signal_path.filename().string();
  std::vector<std::size_t> signals;
  double rate = 0;
  int per_record = 0;
  for (std::size_t i = 0; i < h.signals.size(); ++i) {
    const EdfSignalHeader& s = h.signals[i];
    if (s.is_annotation) continue;
    if (signals.empty()) {
      rate = s.sample_rate_hz;
      per_record = s.samples_per_record;
    } else if (s.samples_per_record != per_record) {
      throw std::runtime_error(fmt::format(
          "{}: signal '{}' has {} samples per record, not {} like '{}': the viewer shows "
          "signals of one rate (a `streamdx run` signal file)",
          signal_path.string(), s.label, s.samples_per_record, per_record,
          h.signals[signals.front()].label));
    }
    signals.push_back(i);
    model.labels.push_back(s.label);
  }
  if (signals.empty() || !(rate > 0)) {
    throw std::runtime_error(fmt::format("{}: no signals to show", signal_path.string()));
  }
  const auto total = static_cast<std::size_t>(std::max<std::int64_t>(1, h.records)) *
                     static_cast<std::size_t>(per_record);
  model.history = TraceHistory(signals.size(), rate, total);
  std::vector<float> planar;
  double onset = 0;
  while (reader->next_record(signals, planar, onset)) {
    model.history.append(static_cast<std::int64_t>(std::llround(onset * rate)), planar,
                         static_cast<std::size_t>(per_record));
  }
  model.duration_s = model.history.end_s();
  model.wall_origin_ms = edf_start_ms(h);

  model.epochs = read_hyp(hyp_path);
  if (!model.epochs.empty() && model.epochs.back().start_s >= model.duration_s + 1) {
    spdlog::warn("{}: epochs run to {:.1f} s but {} holds {:.1f} s: is it the same run?",
                 hyp_path.string(), model.epochs.back().stop_s, signal_path.string(),
                 model.duration_s);
  }
  return model;
}

}  // namespace streamdx
