#include "io/NpyWriter.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "core/Json.hpp"
#include "io/NpyFrameSink.hpp"
#include "support/Files.hpp"
#include "support/TestFrames.hpp"

namespace streamdx {
namespace {

using testing::read_file;

std::filesystem::path temp(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / "streamdx-npy-test";
  std::filesystem::create_directories(dir);
  std::filesystem::remove(dir / name);  // from an earlier run
  return dir / name;
}

TEST(NpyWriter, HeaderIsNumpyFormatOneWithTheFinalShape) {
  const auto path = temp("a.npy");
  {
    NpyWriter w(path, {3, 2});
    const std::vector<float> rows = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    w.append(rows);
    w.append(std::span<const float>(rows).first(6));
    EXPECT_EQ(w.rows(), 3U);
    EXPECT_FALSE(std::filesystem::exists(path)) << "published only on commit";
    w.commit();
  }
  const std::string bytes = read_file(path);
  ASSERT_EQ(bytes.size(), 128U + 18U * 4U);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  EXPECT_EQ(static_cast<unsigned char>(bytes[8]) + 256 * static_cast<unsigned char>(bytes[9]), 118);
  EXPECT_EQ(bytes.substr(10, 62), "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 3, 2), }");
  EXPECT_EQ(bytes[127], '\n');
  float last = 0;
  std::memcpy(&last, bytes.data() + bytes.size() - 4, 4);
  EXPECT_EQ(last, 6.0F);
}

TEST(NpyWriter, RejectsPartialRowsAndLeavesNothingWhenNotCommitted) {
  const auto path = temp("b.npy");
  {
    NpyWriter w(path, {4});
    EXPECT_THROW(w.append(std::vector<float>(6)), std::invalid_argument);
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".part"));
}

TEST(NpyFrameSink, SamplesLayoutTransposesPlanarFramesToTimeRows) {
  const auto path = temp("c.npy");
  NpyFrameSink sink(path, NpyLayout::kSamples, NpyDescription{"signal", {"A", "B"}, {}, {}});
  const Frame f0 = testing::make_frame(0, 3, 4);
  const Frame f1 = testing::make_frame(1, 3, 4);
  sink.consume(f0);
  sink.consume(f1);
  sink.finish(EndReason::kUpstreamError);
  const std::string bytes = read_file(path);
  ASSERT_EQ(bytes.size(), 128U + 2U * 4U * 3U * 4U);
  EXPECT_NE(bytes.find("'shape': (8, 3)"), std::string::npos);
  std::vector<float> data(24);
  std::memcpy(data.data(), bytes.data() + 128, 96);
  for (std::size_t i = 0; i < 4; ++i) {
    for (std::size_t c = 0; c < 3; ++c) {
      EXPECT_EQ(data[i * 3 + c], f0.samples[c * 4 + i]);
      EXPECT_EQ(data[(4 + i) * 3 + c], f1.samples[c * 4 + i]);
    }
  }
  const json::Json j = json::read_file(NpyFrameSink::sidecar_path(path));
  EXPECT_EQ(j["channels"], json::Json({"A", "B", "ch3"})) << json::line(j);
  EXPECT_EQ(j["gap_before_frames"], json::Json::array({std::uint64_t{0}}));
  EXPECT_EQ(j["end"], "error");
}

}  // namespace
}  // namespace streamdx
