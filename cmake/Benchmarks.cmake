# Google Benchmark programs under bench/. Speed targets live here, never in timed unit tests.
if(STREAMDX_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
  add_subdirectory(bench)
endif()
