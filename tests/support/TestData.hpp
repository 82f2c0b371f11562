#pragma once
// Real data for tests lives outside the repository, in STREAMDX_DATA (default ../shared/data
// beside the checkout). A test that needs it calls STREAMDX_DATA_OR_SKIP: without the data it is
// skipped with a message, unless STREAMDX_REQUIRE_DATA=1 (as in CI), where it fails.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace streamdx::testing {

inline std::filesystem::path data_root() {
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read before any test starts a thread
  if (const char* env = std::getenv("STREAMDX_DATA"); env != nullptr && *env != '\0') return env;
  return std::filesystem::path(STREAMDX_SOURCE_DIR) / ".." / "shared" / "data";
}

inline bool data_required() {
  const char* env = std::getenv("STREAMDX_REQUIRE_DATA");  // NOLINT(concurrency-mt-unsafe)
  return env != nullptr && std::string(env) == "1";
}

}  // namespace streamdx::testing

// Declares `const std::filesystem::path var` = STREAMDX_DATA/subdir, or skips/fails the test.
// `var` is a declared name, so it cannot be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define STREAMDX_DATA_OR_SKIP(var, subdir)                                                  \
  const std::filesystem::path var = ::streamdx::testing::data_root() / (subdir);            \
  if (!std::filesystem::exists(var)) {                                                      \
    if (::streamdx::testing::data_required()) {                                             \
      FAIL() << "STREAMDX_REQUIRE_DATA=1 but " << var << " is missing (set STREAMDX_DATA)"; \
    }                                                                                       \
    GTEST_SKIP() << "real data not found at " << var << " (set STREAMDX_DATA)";             \
  }
// NOLINTEND(bugprone-macro-parentheses)

// Skips a test that needs the LibTorch plugin in a build without it.
#define STREAMDX_TORCH_OR_SKIP() \
  if (!STREAMDX_HAVE_TORCH) GTEST_SKIP() << "built without LibTorch (STREAMDX_WITH_TORCH=OFF)"
