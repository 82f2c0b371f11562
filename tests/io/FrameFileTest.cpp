#include "io/FrameFile.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "io/WireFormat.hpp"
#include "support/TestFrames.hpp"

namespace streamdx {
namespace {

namespace fs = std::filesystem;
using testing::make_frame;

fs::path temp_path(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("streamdx-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}

TEST(FrameFile, WritesAtomicallyAndReadsBackExactly) {
  const fs::path path = temp_path("roundtrip.sdxf");
  {
    FrameFileWriter w(path);
    for (std::uint64_t i = 0; i < 30; ++i) w.consume(make_frame(i));
    EXPECT_FALSE(fs::exists(path)) << "visible before finish";
    EXPECT_TRUE(fs::exists(path.string() + ".part"));
    w.finish(EndReason::kEndOfStream);
  }
  EXPECT_TRUE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path.string() + ".part"));
  const std::vector<Frame> frames = FrameFileReader::read_all(path);
  ASSERT_EQ(frames.size(), 30U);
  for (std::uint64_t i = 0; i < 30; ++i)
    EXPECT_TRUE(testing::same_content(frames[i], make_frame(i)));
}

TEST(FrameFile, AnAbandonedWriterLeavesNothingBehind) {
  const fs::path path = temp_path("abandoned.sdxf");
  {
    FrameFileWriter w(path);
    w.consume(make_frame(0));
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path.string() + ".part"));
}

TEST(FrameFile, DefectsAreReportedWithTheFileAndPosition) {
  const fs::path path = temp_path("defects.sdxf");
  {
    FrameFileWriter w(path);
    for (std::uint64_t i = 0; i < 3; ++i) w.consume(make_frame(i));
    w.finish(EndReason::kEndOfStream);
  }
  const auto size = fs::file_size(path);
  fs::resize_file(path, size - wire::kPrefixBytes - wire::kEndOfStreamBytes);  // no final record
  try {
    FrameFileReader::read_all(path);
    FAIL() << "file without end-of-stream accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path.string() + ": after 3 frames: truncated"),
              std::string::npos)
        << e.what();
  }
  fs::resize_file(path, size / 2);  // cut inside a record
  EXPECT_THROW(FrameFileReader::read_all(path), std::runtime_error);
}

TEST(FrameFile, AnUpstreamFailureIsRecordedAfterTheGoodFrames) {
  const fs::path path = temp_path("failed.sdxf");
  {
    FrameFileWriter w(path);
    w.consume(make_frame(0));
    w.upstream_failed("resample", "NaN in channel 2");
    w.finish(EndReason::kUpstreamError);
  }
  FrameFileReader r(path);
  EXPECT_TRUE(r.next(std::stop_token{}));
  EXPECT_FALSE(r.next(std::stop_token{}));
  ASSERT_TRUE(r.recorded_error());
  EXPECT_EQ(*r.recorded_error(), "stage 'resample': NaN in channel 2");
}

}  // namespace
}  // namespace streamdx
