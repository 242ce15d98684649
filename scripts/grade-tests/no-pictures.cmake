# no-pictures.cmake: checks that the grades under DIR, made without pictures
# (scripts/grade --no-pictures; scripts/grade-all without --pictures), drew
# none: no heap/ directory anywhere under DIR (where the pictures' massif
# runs and the pictures go: WORK/heap/WORKLOAD/{submission,reference}), no
# line naming the heap page in what the grader said (each grade.txt), and no
# "heap_pictures" in any scoreboard (results.json, grade.json). It reads the
# grades another test made and runs nothing itself.
#
#   cmake -DDIR=dir -P no-pictures.cmake
#
# A DIR without a grade.txt and a scoreboard is a failure, not a pass.

cmake_minimum_required(VERSION 3.21)
include(${CMAKE_CURRENT_LIST_DIR}/needs.cmake)
leaklab_needs(DIR)

set(failures 0)
file(GLOB_RECURSE entries LIST_DIRECTORIES true "${DIR}/*")
set(said "")
set(boards "")
foreach(entry IN LISTS entries)
  get_filename_component(name "${entry}" NAME)
  if(name STREQUAL "heap" AND IS_DIRECTORY "${entry}")
    message("FAIL  a heap picture directory: ${entry}")
    math(EXPR failures "${failures} + 1")
  elseif(name STREQUAL "grade.txt")
    list(APPEND said "${entry}")
  elseif(name STREQUAL "results.json" OR name STREQUAL "grade.json")
    list(APPEND boards "${entry}")
  endif()
endforeach()
if(said STREQUAL "" OR boards STREQUAL "")
  message(FATAL_ERROR "no grade under ${DIR} (no grade.txt or no results.json): nothing to check")
endif()

foreach(file IN LISTS said)
  file(STRINGS "${file}" lines REGEX "the heap, the submission's against the reference's")
  if(NOT lines STREQUAL "")
    message("FAIL  ${file} names a heap page: ${lines}")
    math(EXPR failures "${failures} + 1")
  endif()
endforeach()
foreach(file IN LISTS boards)
  file(READ "${file}" board)
  string(JSON pictures ERROR_VARIABLE none GET "${board}" extra_data heap_pictures)
  if(NOT none)
    message("FAIL  ${file} has heap_pictures: ${pictures}")
    math(EXPR failures "${failures} + 1")
  endif()
endforeach()

list(LENGTH said n_said)
list(LENGTH boards n_boards)
if(failures GREATER 0)
  message(FATAL_ERROR "${failures} signs of heap pictures under ${DIR}")
endif()
message(STATUS "no heap pictures: ${n_said} grade.txt and ${n_boards} scoreboards under ${DIR}")
