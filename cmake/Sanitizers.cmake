# Sanitizer builds of the whole tree (scripts/sanitize.sh builds and runs them):
#   -DSTREAMDX_SANITIZE=address,undefined   ASan + UBSan, every unit test
#   -DSTREAMDX_SANITIZE=thread              TSan, the concurrency tests
# Torch, Qt and CUDA are left out there (STREAMDX_WITH_*=OFF): their prebuilt libraries are not
# instrumented, and a LibTorch build under ASan would blow CI's time.
set(STREAMDX_SANITIZE "" CACHE STRING "Sanitizers for every target: address,undefined or thread")
if(STREAMDX_SANITIZE)
  if(STREAMDX_FUZZ)
    message(FATAL_ERROR "STREAMDX_SANITIZE and STREAMDX_FUZZ both set: the fuzz build has its own")
  endif()
  add_compile_options(-fsanitize=${STREAMDX_SANITIZE} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${STREAMDX_SANITIZE})
endif()
