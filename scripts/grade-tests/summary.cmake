# summary.cmake: prints what two grades of one file must agree on, read from
# the grader's results.json with CMake's JSON reader: one line per check
# (name, result, points), then the workloads. With -DWHAT=work it prints the
# grade's work directory instead.
#
#   cmake -DFILE=results.json [-DWHAT=work] -P summary.cmake
if(NOT DEFINED FILE OR NOT EXISTS "${FILE}")
  message(FATAL_ERROR "summary.cmake: no results.json at '${FILE}'")
endif()
file(READ "${FILE}" board)
if(WHAT STREQUAL "work")
  string(JSON work GET "${board}" extra_data work)
  execute_process(COMMAND ${CMAKE_COMMAND} -E echo "${work}")
  return()
endif()
string(JSON n LENGTH "${board}" tests)
math(EXPR last "${n} - 1")
foreach(i RANGE ${last})
  string(JSON name GET "${board}" tests ${i} name)
  string(JSON result GET "${board}" tests ${i} extra_data result)
  string(JSON score GET "${board}" tests ${i} score)
  execute_process(COMMAND ${CMAKE_COMMAND} -E echo "${name} ${result} ${score}")
endforeach()
string(JSON workloads GET "${board}" extra_data workloads)
string(REGEX REPLACE "[ \n]+" " " workloads "${workloads}")
execute_process(COMMAND ${CMAKE_COMMAND} -E echo "workloads ${workloads}")
