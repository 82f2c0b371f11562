# Headers generated at configure time: the version. (Settings are declared in
# src/core/SettingsCatalogue.cpp; configs/default.toml is what `streamdx config --defaults`
# prints, and a test keeps it so.)
set(STREAMDX_GENERATED_DIR "${CMAKE_BINARY_DIR}/generated")

find_package(Git QUIET)
set(STREAMDX_GIT_DESCRIBE "unknown")
if(GIT_FOUND)
  execute_process(COMMAND "${GIT_EXECUTABLE}" describe --always --dirty
                  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
                  OUTPUT_VARIABLE _describe OUTPUT_STRIP_TRAILING_WHITESPACE
                  ERROR_QUIET RESULT_VARIABLE _rc)
  if(_rc EQUAL 0 AND _describe)
    set(STREAMDX_GIT_DESCRIBE "${_describe}")
  endif()
endif()
configure_file("${PROJECT_SOURCE_DIR}/cmake/templates/StreamdxVersion.hpp.in"
               "${STREAMDX_GENERATED_DIR}/StreamdxVersion.hpp" @ONLY)
