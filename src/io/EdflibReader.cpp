// EDFlib behind EdfRecordReader, with the fallback to the tolerant reader in open_edf().
#include <edflib.h>
#include <fmt/format.h>

#include <stdexcept>

#include "io/EdfReader.hpp"

namespace streamdx {

namespace {

std::string edflib_error(int code) {
  switch (code) {
    case EDFLIB_MALLOC_ERROR: return "out of memory";
    case EDFLIB_NO_SUCH_FILE_OR_DIRECTORY: return "no such file";
    case EDFLIB_FILE_CONTAINS_FORMAT_ERRORS: return "file contains format errors";
    case EDFLIB_MAXFILES_REACHED: return "too many files open";
    case EDFLIB_FILE_READ_ERROR: return "read error";
    case EDFLIB_FILE_ALREADY_OPENED: return "file already opened";
    case EDFLIB_FILE_IS_DISCONTINUOUS: return "file is discontinuous (EDFlib reads no EDF+D)";
    case EDFLIB_TOO_MANY_SIGNALS: return "too many signals";
    default: return fmt::format("error {}", code);
  }
}

class EdflibReader final : public EdfRecordReader {
 public:
  EdflibReader(EdfHeader header, const edf_hdr_struct& hdr)
      : header_(std::move(header)), hdr_(hdr) {
    // EDFlib numbers signals without the annotation channels; map ours onto its.
    int k = 0;
    for (const EdfSignalHeader& s : header_.signals)
      edflib_index_.push_back(s.is_annotation ? -1 : k++);
  }
  ~EdflibReader() override { edfclose_file(hdr_.handle); }
  EdflibReader(const EdflibReader&) = delete;
  EdflibReader& operator=(const EdflibReader&) = delete;

  [[nodiscard]] const EdfHeader& header() const override { return header_; }
  [[nodiscard]] std::string reader_name() const override {
    return "EDFlib " + std::to_string(edflib_version());
  }
  [[nodiscard]] double start_subsecond_s() const override {
    return static_cast<double>(hdr_.starttime_subsecond) / EDFLIB_TIME_DIMENSION;
  }
  [[nodiscard]] std::vector<EdfAnnotation> annotations() const override {
    std::vector<EdfAnnotation> out;
    for (long long i = 0; i < hdr_.annotations_in_file; ++i) {
      edf_annotation_struct a{};
      if (edf_get_annotation(hdr_.handle, static_cast<int>(i), &a) != 0) continue;
      out.push_back(EdfAnnotation{
          static_cast<double>(a.onset) / EDFLIB_TIME_DIMENSION,
          a.duration_l < 0 ? -1.0 : static_cast<double>(a.duration_l) / EDFLIB_TIME_DIMENSION,
          a.annotation});
    }
    return out;
  }

  bool next_record(std::span<const std::size_t> signals, std::vector<float>& planar,
                   double& onset_s) override {
    if (record_ >= header_.records) return false;
    planar.clear();
    for (std::size_t s : signals) {
      const int k = edflib_index_.at(s);
      if (k < 0)
        throw std::invalid_argument(
            fmt::format("{}: signal {} is an annotation channel", header_.path.string(), s + 1));
      const int n = header_.signals[s].samples_per_record;
      buffer_.resize(static_cast<std::size_t>(n));
      if (edfseek(hdr_.handle, k, record_ * n, EDFSEEK_SET) < 0 ||
          edfread_physical_samples(hdr_.handle, k, n, buffer_.data()) != n) {
        throw std::runtime_error(fmt::format("{}: cannot read record {} of signal '{}'",
                                             header_.path.string(), record_ + 1,
                                             header_.signals[s].label));
      }
      for (double v : buffer_) planar.push_back(static_cast<float>(v));
    }
    onset_s = static_cast<double>(record_) * header_.record_duration_s;
    ++record_;
    return true;
  }

  void seek_record(std::int64_t record) override {
    if (record < 0) throw std::invalid_argument("seek_record: a negative record");
    record_ = std::min<std::int64_t>(record, header_.records);
  }

 private:
  EdfHeader header_;
  edf_hdr_struct hdr_;
  std::vector<int> edflib_index_;
  std::vector<double> buffer_;
  long long record_ = 0;
};

}  // namespace

std::unique_ptr<EdfRecordReader> open_edf(const std::filesystem::path& path) {
  EdfHeader header = EdfHeader::read(path);  // our own checks first: clear messages
  edf_hdr_struct hdr{};
  if (edfopen_file_readonly(path.c_str(), &hdr, EDFLIB_READ_ALL_ANNOTATIONS) == 0) {
    return std::make_unique<EdflibReader>(std::move(header), hdr);
  }
  return open_edf_tolerant(path, "EDFlib refused it: " + edflib_error(hdr.filetype));
}

}  // namespace streamdx
