# Libraries every configuration needs. All come from Debian's packages (scripts/setup.sh).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED)          # header-only: lockfree
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(cppzmq REQUIRED)              # brings libzmq as the cppzmq target
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)

# Headers from Debian are system headers: their warnings are not ours to fix.
foreach(tgt Boost::headers fmt::fmt spdlog::spdlog CLI11::CLI11 tomlplusplus::tomlplusplus cppzmq)
  if(TARGET ${tgt})
    get_target_property(_inc ${tgt} INTERFACE_INCLUDE_DIRECTORIES)
    if(_inc)
      set_target_properties(${tgt} PROPERTIES INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${_inc}")
    endif()
  endif()
endforeach()
