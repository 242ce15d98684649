# default_dirs.cmake: two programs of one name (a leaky and a fixed twin),
# run without --out, get report directories of their own: neither run's
# verdict overwrites the other's.
#   cmake -DLEAKCHECK=leakcheck -DOUT=unused -DLEAKY=prog -DFIXED=prog -P default_dirs.cmake
# (-DOUT names this test's report directory for harness.out-dirs; the runs
# here use the default ones.)
cmake_minimum_required(VERSION 3.21)
foreach(variant LEAKY FIXED)
  set(expect clean)
  if(variant STREQUAL "LEAKY")
    set(expect leak)
  endif()
  execute_process(COMMAND ${LEAKCHECK} --tool=census --expect=${expect} -- ${${variant}}
    OUTPUT_VARIABLE output RESULT_VARIABLE status)
  if(NOT output MATCHES "([^ \n]*/)verdict\\.txt")
    message(FATAL_ERROR "FAIL: no verdict.txt on leakcheck's last line:\n${output}")
  endif()
  set(dir_${variant} ${CMAKE_MATCH_1})
endforeach()
message(STATUS "leaky twin: ${dir_LEAKY}\nfixed twin: ${dir_FIXED}")
if(dir_LEAKY STREQUAL dir_FIXED)
  message(FATAL_ERROR "FAIL: expected two report directories, got one: ${dir_LEAKY}")
endif()
file(STRINGS ${dir_LEAKY}verdict.txt leaky_expect REGEX "^expect=")
if(NOT leaky_expect STREQUAL "expect=leak")
  message(FATAL_ERROR "FAIL: the leaky twin's verdict was overwritten: ${leaky_expect}")
endif()
