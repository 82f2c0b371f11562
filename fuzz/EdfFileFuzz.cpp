// Fuzzes the whole EDF/EDF+/BDF read path a recording takes: the header parser, EDFlib's wrapper,
// the tolerant record reader it falls back to, and the EDF+ annotation (TAL) parser. The input is
// a file's bytes, written to a temporary file because EDFlib reads only files. Any input must
// open and read or fail with an error naming the file, never crash, hang or allocate by trusting
// a crafted header (a billion records, 65,535 signals, a zero record duration).
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "FuzzTarget.hpp"
#include "io/EdfReader.hpp"

namespace {

const std::string& scratch_path() {
  static const std::string path = "/tmp/streamdx-fuzz-" + std::to_string(::getpid()) + ".edf";
  return path;
}

// A small valid EDF+C file: one signal of 4 samples per 1 s record, 2 records, and an
// annotation signal holding a time-keeping TAL.
std::vector<std::uint8_t> seed_edf(bool plus) {
  auto pad = [](std::string s, std::size_t w) {
    s.resize(w, ' ');
    return s;
  };
  const int ns = plus ? 2 : 1;
  std::string h = pad("0", 8) + pad("X X X X", 80) + pad("Startdate 01-JAN-2020 X X X", 80) +
                  "01.01.2010.00.00" + pad(std::to_string(256 + 256 * ns), 8) +
                  pad(plus ? "EDF+C" : "", 44) + pad("2", 8) + pad("1", 8) +
                  pad(std::to_string(ns), 4);
  h += pad("EEG FP1-REF", 16) + (plus ? pad("EDF Annotations", 16) : "");
  for (int i = 0; i < ns; ++i) h += pad("", 80);
  h += pad("uV", 8) + (plus ? pad("", 8) : "");
  for (const char* v : {"-3276.8", "3276.7"}) {
    h += pad(v, 8) + (plus ? pad(v[0] == '-' ? "-1" : "1", 8) : "");
  }
  for (const char* v : {"-32768", "32767"}) h += pad(v, 8) + (plus ? pad(v, 8) : "");
  for (int i = 0; i < ns; ++i) h += pad("", 80);
  h += pad("4", 8) + (plus ? pad("8", 8) : "");
  for (int i = 0; i < ns; ++i) h += pad("", 32);
  std::vector<std::uint8_t> out(h.begin(), h.end());
  for (int r = 0; r < 2; ++r) {
    for (int i = 0; i < 4; ++i) {
      out.push_back(static_cast<std::uint8_t>(10 * i));
      out.push_back(0);
    }
    if (plus) {
      // "+R\x14\x14" then NULs: the record's onset as a time-keeping TAL.
      const std::uint8_t tal[16] = {'+', static_cast<std::uint8_t>('0' + r), 0x14, 0x14};
      out.insert(out.end(), tal, tal + 16);
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  {
    std::ofstream out(scratch_path(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    const auto reader = streamdx::open_edf(scratch_path());
    (void)reader->annotations();
    std::vector<std::size_t> signals;
    for (std::size_t i = 0; i < reader->header().signals.size(); ++i) {
      if (!reader->header().signals[i].is_annotation) signals.push_back(i);
    }
    std::vector<float> planar;
    double onset = 0;
    // A crafted record count may be huge; the file's own bytes bound what can be read.
    for (int r = 0; r < 4096 && reader->next_record(signals, planar, onset); ++r) {
    }
  } catch (const std::exception&) {
  }
  std::remove(scratch_path().c_str());
  return 0;
}

std::vector<std::vector<std::uint8_t>> fuzz_seeds() {
  // tests/fuzz/regressions/edf_file/record-count-beyond-int64: a record count of 3.2e68 was
  // converted to int64 (undefined; UBSan, found by a 10-minute run).
  std::vector<std::uint8_t> huge_count = seed_edf(false);
  const std::string field = "3.2e68  ";
  std::copy(field.begin(), field.end(), huge_count.begin() + 236);
  return {seed_edf(false), seed_edf(true), huge_count};
}
