# User-facing build options. Turning one off builds a smaller binary, never a broken one.
set(STREAMDX_WITH_CUDA "AUTO" CACHE STRING "Build CUDA code paths: AUTO (where nvcc is found), ON or OFF")
set_property(CACHE STREAMDX_WITH_CUDA PROPERTY STRINGS AUTO ON OFF)
option(STREAMDX_WITH_TORCH "Build the LibTorch model decoder" ON)
option(STREAMDX_WITH_GUI "Build the Qt6 visualizer" ON)
option(STREAMDX_BUILD_TESTS "Build the test suite" ON)
option(STREAMDX_BUILD_BENCHMARKS "Build the Google Benchmark programs" ON)
option(STREAMDX_WERROR "Treat warnings as errors" ON)
