# grade-all.cmake: grades a small class with scripts/grade-all and checks the
# scoreboard row and the results.json of every student.
#
#   cmake -DLAB=source -DBUILD=build -DWORK=dir -P grade-all.cmake
#
# The class, made here from the files of scripts/grade-tests: a right fix, a
# wrong one, a right fix in a folder whose name has a space and both quotes,
# an empty file, a Python file, one that does not compile, one that crashes
# (a double free), one that hangs (written here), an empty folder, and a
# student on the roster who handed in nothing. Every one must get its row
# and its results.json, with the score, verdict and reason expected; the
# batch must not stop at any of them. Skipped (the SKIP_REGULAR_EXPRESSION
# "grade test skipped:") when a detector is not installed here.
cmake_minimum_required(VERSION 3.21)
include(${CMAKE_CURRENT_LIST_DIR}/needs.cmake)
leaklab_needs(LAB BUILD WORK)

set(tests ${LAB}/scripts/grade-tests/unfreed_malloc)
set(class ${WORK}/class)
set(odd "dana \"dee\" o'neil")
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${class}/${odd} ${class}/frank)
configure_file(${tests}/one_record_reused.c ${class}/alice.c COPYONLY)
configure_file(${tests}/free_at_exit.c ${class}/bob.c COPYONLY)
configure_file(${tests}/not_c.py ${class}/carl.py COPYONLY)
configure_file(${LAB}/fixed/unfreed_malloc.c ${class}/${odd}/unfreed_malloc.c COPYONLY)
file(WRITE ${class}/erin.c "")
configure_file(${tests}/does_not_compile.c ${class}/gil.c COPYONLY)
configure_file(${tests}/double_free.c ${class}/hana.c COPYONLY)
file(WRITE ${class}/ivan.c "/* hangs: waits for a signal that never comes */\n#include <unistd.h>\n"
  "int main(void)\n{\n    for (;;)\n        pause();\n}\n")
file(WRITE ${WORK}/roster "# the class list\nalice\nzoe\n")

# name|score ("<100": any below 100)|verdict|what the reason must hold
set(expected
  "alice|100|pass|"
  "bob|<100|fail|bounded_growth.heap: the heap peak during main grew by"
  "carl.py|0|fail|compiles: not C source: it starts with #!"
  "${odd}|100|pass|"
  "erin|0|fail|compiles: not C source: it is empty"
  "frank|0|not_graded|frank holds no unfreed_malloc.c (it holds nothing)"
  "gil|0|fail|compiles: it does not compile"
  "hana|0|fail|no_crash_or_hang: natively: it was killed by SIGABRT"
  "ivan|0|fail|no_crash_or_hang: natively: it did not finish in time"
  "zoe|0|not_graded|zoe: no such file")

execute_process(COMMAND ${LAB}/scripts/grade-all --build=${BUILD} --out=${WORK}/out -j2
  --timeout=3 --seed=4242 --roster=${WORK}/roster unfreed_malloc ${class}
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 1000)
message("${out}")
if(NOT status EQUAL 0 OR NOT err STREQUAL "")
  message(FATAL_ERROR "grade-all exited ${status} (expected 0, nothing on stderr):\n${err}")
endif()

# The scoreboard: a header, then a row per student in name order (CRLF).
file(READ ${WORK}/out/scoreboard.csv csv)
string(REPLACE "\r\n" "\n" csv "${csv}")
string(REGEX MATCHALL "[^\n]+" rows "${csv}")
list(POP_FRONT rows header)
if(NOT header MATCHES "^student,score,compiles,same_output,.*,no_crash_or_hang,verdict,reason,results$")
  message(FATAL_ERROR "scoreboard.csv: unexpected header: ${header}")
endif()
list(LENGTH rows n)
list(LENGTH expected want_n)
if(NOT n EQUAL want_n)
  message(FATAL_ERROR "scoreboard.csv has ${n} rows, not ${want_n}:\n${csv}")
endif()

set(i 0)
foreach(want IN LISTS expected)
  string(REPLACE "|" ";" want "${want}")
  list(GET want 0 name)
  list(GET want 1 score)
  list(GET want 2 verdict)
  list(GET want 3 reason)
  list(GET rows ${i} row)
  math(EXPR i "${i} + 1")
  # The row: the name as CSV writes it (quoted, quotes doubled, when needed).
  set(field "${name}")
  if(name MATCHES "[ \",]")
    string(REPLACE "\"" "\"\"" field "${name}")
    set(field "\"${field}\"")
  endif()
  string(LENGTH "${field}," len)
  string(SUBSTRING "${row}" 0 ${len} head)
  if(NOT head STREQUAL "${field},")
    message(FATAL_ERROR "row ${i} should be ${field}'s, it is: ${row}")
  endif()
  string(FIND "${row}" ",${verdict}," at)
  string(FIND "${row}" "${reason}" reason_at)
  if(at LESS 0 OR reason_at LESS 0)
    message(FATAL_ERROR "${name}: expected verdict ${verdict} and a reason holding '${reason}', got: ${row}")
  endif()

  # The results.json: Gradescope's shape, the same score, the points adding up.
  if(NOT row MATCHES ",([^,]+/results.json)$")
    message(FATAL_ERROR "${name}: the row does not end with the path of its results.json: ${row}")
  endif()
  set(json ${WORK}/out/${CMAKE_MATCH_1})
  if(NOT EXISTS "${json}")
    message(FATAL_ERROR "${name}: no ${json}")
  endif()
  file(READ "${json}" board)
  string(JSON got GET "${board}" score)
  string(JSON got_verdict GET "${board}" extra_data verdict)
  string(JSON output GET "${board}" output)
  string(JSON n_tests LENGTH "${board}" tests)
  if(got_verdict STREQUAL "incomplete")
    message("grade test skipped: a detector is not installed here")
    return()
  endif()
  if(NOT got_verdict STREQUAL verdict)
    message(FATAL_ERROR "${name}: results.json says ${got_verdict}, not ${verdict}: ${output}")
  endif()
  if(score STREQUAL "<100")
    if(NOT got LESS 100)
      message(FATAL_ERROR "${name}: scored ${got}, expected less than 100")
    endif()
  elseif(NOT got EQUAL score)
    message(FATAL_ERROR "${name}: scored ${got}, expected ${score}: ${output}")
  endif()
  string(FIND "${row}" "${field},${got}," at)
  if(NOT at EQUAL 0)
    message(FATAL_ERROR "${name}: the row does not carry the score ${got}: ${row}")
  endif()
  set(sum 0)
  if(n_tests GREATER 0)
    math(EXPR last "${n_tests} - 1")
    foreach(k RANGE ${last})
      string(JSON pts GET "${board}" tests ${k} score)
      math(EXPR sum "${sum} + ${pts}")
    endforeach()
  elseif(verdict STREQUAL "not_graded")
    string(JSON why GET "${board}" extra_data reason)
    string(FIND "${why}" "${reason}" reason_at)
    if(reason_at LESS 0)
      message(FATAL_ERROR "${name}: results.json's reason '${why}' lacks '${reason}'")
    endif()
  endif()
  if(NOT sum EQUAL got)
    message(FATAL_ERROR "${name}: the tests' points add up to ${sum}, the score is ${got}")
  endif()
endforeach()
message("grade-all: ${n} rows and results.json files as expected")
