# check.cmake: grades FILE with scripts/grade and checks the verdict, check
# by check, from the JSON scoreboard (so the grader must reject a wrong fix
# for the right reason, not just exit non-zero).
#
#   cmake -DGRADE=scripts/grade -DBUILD=build -DSCENARIO=name -DFILE=path
#         -DWORK=dir -DFAILS=list -P check.cmake
#
# FAILS: the checks that must fail, comma-separated; "all"; "" when every
# check must pass; or "file": FILE's own "Must fail:" line says, and its
# "Must say: CHECK: TEXT" lines name text a check's result must contain.
# Beyond that, for every check: the points add up, a failure gives expected,
# got and a guide, and the report it names exists. The grader must print
# nothing on stderr (no shell noise, no trace) and exit 1 on a rejection, 0
# on an acceptance; an exit 77 (a detector not installed) skips the test.

cmake_minimum_required(VERSION 3.21)

foreach(var GRADE BUILD SCENARIO FILE WORK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check.cmake needs -D${var}=...")
  endif()
endforeach()

set(says "")
if(FAILS STREQUAL "file")
  file(STRINGS "${FILE}" fail_lines REGEX "Must fail:")
  file(STRINGS "${FILE}" says REGEX "Must say:")
  list(LENGTH fail_lines n)
  if(NOT n EQUAL 1)
    message(FATAL_ERROR "${FILE} needs exactly one 'Must fail:' line in its header, not ${n}")
  endif()
  string(REGEX MATCH "Must fail:([^*]*)" FAILS "${fail_lines}")
  string(STRIP "${CMAKE_MATCH_1}" FAILS)
endif()
string(REGEX REPLACE "[ ,\t]+" ";" want "${FAILS}")
list(SORT want)

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(json "${WORK}/grade.json")
execute_process(COMMAND "${GRADE}" --build=${BUILD} --work=${WORK}/work --json=${json}
  ${SCENARIO} ${FILE}
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 280)
message("${out}")
if(status EQUAL 77)
  message("grade test skipped: a detector is not installed here")
  return()
endif()
if(NOT err STREQUAL "")
  message(FATAL_ERROR "the grader wrote to stderr (exit ${status}):\n${err}")
endif()
set(want_status 1)
if(want STREQUAL "")
  set(want_status 0)
endif()
if(NOT status STREQUAL "${want_status}")
  message(FATAL_ERROR "expected the grader to exit ${want_status}, got ${status}")
endif()

# Reads a JSON value into var, failing the test if the scoreboard lacks it.
macro(json_get var)
  string(JSON ${var} ERROR_VARIABLE json_error GET "${board}" ${ARGN})
  if(json_error)
    message(FATAL_ERROR "${json}: ${json_error}")
  endif()
endmacro()

file(READ "${json}" board)
json_get(score score)
json_get(max_total extra_data max_score)
json_get(verdict extra_data verdict)
string(JSON n ERROR_VARIABLE json_error LENGTH "${board}" tests)
if(json_error OR n LESS 5)
  message(FATAL_ERROR "${json}: no list of checks (${json_error})")
endif()

math(EXPR last "${n} - 1")
set(failed "")
set(all "")
set(sum 0)
set(sum_max 0)
foreach(i RANGE ${last})
  json_get(name tests ${i} name)
  json_get(points tests ${i} score)
  json_get(max tests ${i} max_score)
  json_get(result tests ${i} status)
  json_get(output tests ${i} output)
  json_get(expected tests ${i} extra_data expected)
  json_get(got tests ${i} extra_data got)
  json_get(report tests ${i} extra_data report)
  json_get(guide tests ${i} extra_data guide)
  list(APPEND all ${name})
  math(EXPR sum "${sum} + ${points}")
  math(EXPR sum_max "${sum_max} + ${max}")
  if(result STREQUAL "passed")
    if(NOT points EQUAL max)
      message(FATAL_ERROR "${name} passed with ${points} of ${max} points")
    endif()
  else()
    list(APPEND failed ${name})
    if(NOT points EQUAL 0 OR expected STREQUAL "" OR got STREQUAL "" OR guide STREQUAL "")
      message(FATAL_ERROR "${name} failed without 0 points, an expected, a got and a guide:\n"
        "${output}")
    endif()
    if(NOT got MATCHES "^not run" AND NOT EXISTS "${report}")
      message(FATAL_ERROR "${name} points to a report that does not exist: '${report}'")
    endif()
  endif()
  set(text_${name} "${got}\n${output}")
endforeach()

if(NOT sum EQUAL score OR NOT sum_max EQUAL max_total OR NOT max_total EQUAL 100)
  message(FATAL_ERROR "the points do not add up: ${sum} of ${sum_max}, "
    "the scoreboard says ${score} of ${max_total} (the maximum must be 100)")
endif()
if(want STREQUAL "all")
  set(want ${all})
endif()
list(SORT want)
list(SORT failed)
if(NOT failed STREQUAL want)
  string(REPLACE ";" " " want "${want}")
  string(REPLACE ";" " " failed "${failed}")
  message(FATAL_ERROR "expected these checks to fail: [${want}]\ngot: [${failed}]")
endif()
if((want STREQUAL "" AND NOT verdict STREQUAL "pass") OR
   (NOT want STREQUAL "" AND NOT verdict STREQUAL "fail"))
  message(FATAL_ERROR "the scoreboard's verdict is '${verdict}'")
endif()
foreach(line IN LISTS says)
  if(NOT line MATCHES "Must say:[ \t]*([a-z_.]+):[ \t]*(.*[^ \t])")
    message(FATAL_ERROR "${FILE}: cannot read '${line}' (Must say: CHECK: TEXT)")
  endif()
  set(check ${CMAKE_MATCH_1})
  set(text "${CMAKE_MATCH_2}")
  string(FIND "${text_${check}}" "${text}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${check} does not say '${text}':\n${text_${check}}")
  endif()
endforeach()
message(STATUS "${SCENARIO}: ${score}/100, failed as expected: [${failed}]")
