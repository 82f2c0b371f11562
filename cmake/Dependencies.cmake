# Libraries every configuration needs. All come from Debian's packages (scripts/setup.sh).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED)          # header-only: lockfree
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED) # every JSON file written and read (core/Json.hpp)
find_package(cppzmq REQUIRED)              # brings libzmq as the cppzmq target
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(FFTW3 REQUIRED IMPORTED_TARGET fftw3)   # double precision: LFCC filter bank
pkg_check_modules(FFTW3F REQUIRED IMPORTED_TARGET fftw3f) # single precision: EPR reconstruction

# EDFlib (libedf-dev) ships a static library and a header, without CMake or pkg-config files.
find_path(EDFLIB_INCLUDE_DIR edflib.h REQUIRED)
find_library(EDFLIB_LIBRARY NAMES libedf.a edf REQUIRED)
add_library(EDFlib::edf STATIC IMPORTED)
set_target_properties(EDFlib::edf PROPERTIES IMPORTED_LOCATION "${EDFLIB_LIBRARY}"
                      INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${EDFLIB_INCLUDE_DIR}"
                      INTERFACE_INCLUDE_DIRECTORIES "${EDFLIB_INCLUDE_DIR}")

# Headers from Debian are system headers: their warnings are not ours to fix.
foreach(tgt Boost::headers fmt::fmt spdlog::spdlog CLI11::CLI11 tomlplusplus::tomlplusplus cppzmq)
  if(TARGET ${tgt})
    get_target_property(_inc ${tgt} INTERFACE_INCLUDE_DIRECTORIES)
    if(_inc)
      set_target_properties(${tgt} PROPERTIES INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${_inc}")
    endif()
  endif()
endforeach()
