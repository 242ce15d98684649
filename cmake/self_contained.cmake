# self_contained.cmake: fails when a file of the lab points outside the lab.
#   cmake -DSOURCE=<repository root> -P cmake/self_contained.cmake
#
# The lab is handed out on its own: no file may send the reader to the
# directory next to it (a parent path ending in "shared"), to the seed notes
# kept there, or quote those notes by name. The patterns below are written as
# regular expressions so that this file does not match itself. Files are the
# ones git tracks (binary files skipped); outside a git checkout, every file
# under SOURCE except .git/ and build*/.

if(NOT SOURCE)
  message(FATAL_ERROR "usage: cmake -DSOURCE=<repository root> -P self_contained.cmake")
endif()
set(pattern "\\.\\./shared|shared/seed[s]|[Gg][Oo] [Nn]ote[s]")

find_package(Git QUIET)
set(hits "")
if(GIT_EXECUTABLE AND EXISTS "${SOURCE}/.git")
  execute_process(COMMAND ${GIT_EXECUTABLE} -C ${SOURCE} grep -n -I -E -e "${pattern}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE hits ERROR_VARIABLE err)
  if(rc GREATER 1)
    message(FATAL_ERROR "git grep failed (${rc}): ${err}")
  endif()
else()
  file(GLOB_RECURSE files RELATIVE ${SOURCE} ${SOURCE}/*)
  foreach(f IN LISTS files)
    if(f MATCHES "^(\\.git|build[^/]*)/")
      continue()
    endif()
    file(STRINGS ${SOURCE}/${f} lines REGEX "${pattern}")
    foreach(line IN LISTS lines)
      string(APPEND hits "${f}: ${line}\n")
    endforeach()
  endforeach()
endif()

if(NOT hits STREQUAL "")
  message(FATAL_ERROR "these lines point outside the lab (say it in the lab's own words):\n${hits}")
endif()
message(STATUS "no file of the lab points outside it")
