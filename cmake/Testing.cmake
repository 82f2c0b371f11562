# GoogleTest suites under tests/, mirroring src/. ctest runs them (scripts/test.sh).
if(STREAMDX_BUILD_TESTS)
  enable_testing()
  find_package(GTest REQUIRED)
  include(GoogleTest)
  add_subdirectory(tests)
endif()
