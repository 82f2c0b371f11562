# Fuzz targets under fuzz/. Each target's LLVMFuzzerTestOneInput is built two ways:
# - always, linked to a small replay driver (fuzz/ReplayMain.cpp) and run by ctest over its seeds
#   plus deterministic mutations, so the parsers are exercised in every build;
# - with STREAMDX_FUZZ=ON under clang, as a real libFuzzer binary (scripts/fuzz.sh does this).
option(STREAMDX_FUZZ "Build libFuzzer targets (needs clang)" OFF)
if(STREAMDX_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "STREAMDX_FUZZ=ON needs clang (CXX=clang++)")
  endif()
  # Coverage instrumentation and sanitizers for everything the fuzzers link.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
