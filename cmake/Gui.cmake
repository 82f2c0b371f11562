# Qt6 Widgets + Charts for the visualizer.
set(STREAMDX_HAVE_GUI OFF)
if(STREAMDX_WITH_GUI)
  find_package(Qt6 6.4 REQUIRED COMPONENTS Core Gui Widgets Charts)
  set(STREAMDX_HAVE_GUI ON)
endif()
message(STATUS "streamdx: Qt6 visualizer ${STREAMDX_HAVE_GUI}")
