# autograder.cmake: the autograder packages, run here as their hosts run them.
#
#   cmake -DLAB=source -DBUILD=build -DWORK=dir -DMODE=gradescope|classroom -P autograder.cmake
#
# gradescope: lays out Gradescope's tree under WORK (source/lab, the package's
# source/scenario file, submission/, results/) and runs
# scripts/gradescope/run_autograder there with AUTOGRADER_ROOT, as user
# "nobody" when we are root: a right fix handed in under another name must
# score 100 in results/results.json, an empty submission folder 0, not graded,
# with the reason.
# classroom: runs the workflow's command (scripts/classroom/grade) on a right
# fix and on a wrong one, with GITHUB_OUTPUT set: the step output "result"
# must decode to the reporter's JSON, with the points of every check adding
# up to 100 and less than 100.
# Skipped ("grade test skipped:") when a detector is not installed here.
cmake_minimum_required(VERSION 3.21)
include(${CMAKE_CURRENT_LIST_DIR}/needs.cmake)
leaklab_needs(LAB BUILD WORK MODE)
set(tests ${LAB}/scripts/grade-tests/unfreed_malloc)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

function(run)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${WORK} RESULT_VARIABLE status
    OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 600)
  message("${out}${err}")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${ARGN} exited ${status}, expected 0")
  endif()
endfunction()

# Checks a score against want ("100", "0", "<100").
function(check_score what got want)
  if((want STREQUAL "<100" AND NOT got LESS 100) OR (NOT want STREQUAL "<100" AND NOT got EQUAL want))
    message(FATAL_ERROR "${what}: scored ${got}, expected ${want}")
  endif()
endfunction()

if(MODE STREQUAL "gradescope")
  set(root ${WORK}/autograder)
  set(user "")
  execute_process(COMMAND id -u OUTPUT_VARIABLE uid OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(uid STREQUAL "0")
    # The grade drops to nobody, if nobody can reach the lab: a checkout in
    # /root (mode 700) it cannot, and the grade then runs as root.
    execute_process(COMMAND runuser -u nobody -- test -x ${LAB}/scripts/grade -a
      -x ${BUILD}/bin/leakgrade -a -w ${WORK} RESULT_VARIABLE reach OUTPUT_QUIET ERROR_QUIET)
    if(reach EQUAL 0)
      set(user LEAKLAB_GRADER_USER=nobody)
    else()
      message("nobody cannot reach ${LAB} and ${BUILD}: the grades run as root, "
        "not as another user (run_autograder drops to one only when that user exists)")
      set(user LEAKLAB_GRADER_USER=leaklab-test-no-such-user)
    endif()
  endif()
  # case|what is handed in|score|verdict|reason
  foreach(case "right|one_record_reused.c|100|pass|" "empty||0|not_graded|holds no unfreed_malloc.c")
    string(REPLACE "|" ";" case "${case}")
    list(GET case 0 name)
    list(GET case 1 file)
    list(GET case 2 want)
    list(GET case 3 verdict)
    list(GET case 4 reason)
    file(REMOVE_RECURSE ${root})
    file(MAKE_DIRECTORY ${root}/source ${root}/submission)
    file(CREATE_LINK ${LAB} ${root}/source/lab SYMBOLIC)
    file(WRITE ${root}/source/scenario "unfreed_malloc\n")
    if(file)
      configure_file(${tests}/${file} ${root}/submission/my_fix.c COPYONLY)
    endif()
    run(${CMAKE_COMMAND} -E env AUTOGRADER_ROOT=${root} LEAKLAB_BUILD=${BUILD} ${user}
      ${LAB}/scripts/gradescope/run_autograder)
    file(READ ${root}/results/results.json board)
    string(JSON got GET "${board}" score)
    string(JSON got_verdict GET "${board}" extra_data verdict)
    string(JSON output GET "${board}" output)
    if(got_verdict STREQUAL "incomplete")
      message("grade test skipped: a detector is not installed here")
      return()
    endif()
    check_score("gradescope ${name}" "${got}" "${want}")
    string(FIND "${output}" "${reason}" at)
    if(NOT got_verdict STREQUAL verdict OR at LESS 0)
      message(FATAL_ERROR "gradescope ${name}: expected ${verdict} and '${reason}', got ${got_verdict}: ${output}")
    endif()
  endforeach()
  message("gradescope: run_autograder graded a right fix 100 and an empty submission 0")
elseif(MODE STREQUAL "classroom")
  foreach(case "right|one_record_reused.c|100|pass" "wrong|free_at_exit.c|<100|fail")
    string(REPLACE "|" ";" case "${case}")
    list(GET case 0 name)
    list(GET case 1 file)
    list(GET case 2 want)
    list(GET case 3 status)
    configure_file(${tests}/${file} ${WORK}/unfreed_malloc.c COPYONLY)
    file(REMOVE ${WORK}/github_output)
    run(${CMAKE_COMMAND} -E env GITHUB_OUTPUT=${WORK}/github_output
      ${LAB}/scripts/classroom/grade --build=${BUILD} unfreed_malloc)
    file(STRINGS ${WORK}/github_output lines REGEX "^result=")
    list(LENGTH lines n)
    if(NOT n EQUAL 1)
      message(FATAL_ERROR "classroom ${name}: expected one result= line in GITHUB_OUTPUT, got ${n}")
    endif()
    string(REGEX REPLACE "^result=" "" encoded "${lines}")
    file(WRITE ${WORK}/result.b64 "${encoded}")
    execute_process(COMMAND base64 -d ${WORK}/result.b64 OUTPUT_VARIABLE runner RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "classroom ${name}: the result is not base64")
    endif()
    string(JSON got_status GET "${runner}" status)
    string(JSON max GET "${runner}" max_score)
    string(JSON n_tests LENGTH "${runner}" tests)
    math(EXPR last "${n_tests} - 1")
    set(sum 0)
    foreach(k RANGE ${last})
      string(JSON pts GET "${runner}" tests ${k} score)
      math(EXPR sum "${sum} + ${pts}")
    endforeach()
    if(NOT got_status STREQUAL status OR NOT max EQUAL 100)
      message(FATAL_ERROR "classroom ${name}: status ${got_status}, max_score ${max}; expected ${status}, 100")
    endif()
    check_score("classroom ${name}" "${sum}" "${want}")
  endforeach()
  message("classroom: the workflow's command reports 100 points for a right fix, fewer for a wrong one")
else()
  message(FATAL_ERROR "MODE is gradescope or classroom, not ${MODE}")
endif()
