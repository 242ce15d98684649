# kept.cmake: the reference's runs, made by one grade and copied by the next
# (harness/grade_keep.h). Grades FILE five times against a copy of the
# reference, REFERENCE, made here (so no other grade has run it):
#   1. nothing is copied: every run of the reference is made;
#   2. the same again: every run is copied, the grade is the same check by
#      check, and no file of its work directory names the store or the first
#      grade's work directory (the paths inside are its own);
#   3. after the reference is touched (a rebuild): nothing is copied;
#   4. with --rerun-reference: nothing is copied, and no store is named;
#   5. with --build relative to the current directory: every run grade 3
#      kept is copied (leakcheck runs in the work directory, the store is
#      absolute).
# The counts come from results.json (extra_data.reference_runs).
#
#   cmake -DGRADE=scripts/grade -DBUILD=build -DSCENARIO=name -DFILE=path
#         -DREFERENCE=bin/fixed/name -DWORK=dir -P kept.cmake

cmake_minimum_required(VERSION 3.21)
include(${CMAKE_CURRENT_LIST_DIR}/needs.cmake)
leaklab_needs(GRADE BUILD SCENARIO FILE REFERENCE WORK)

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/reference")
get_filename_component(name "${REFERENCE}" NAME)
set(reference "${WORK}/reference/${name}")
file(COPY_FILE "${REFERENCE}" "${reference}")
file(CHMOD "${reference}" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
  GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
file(TOUCH "${reference}") # a time of its own: no run of an earlier copy is kept for it

# grade(N [OPTIONS...]): grades into WORK/N, with --build=${build} from the
# directory ${cwd}; sets copied_N, runs_N, store_N, checks_N (each check's id
# and result) in the caller.
set(build "${BUILD}")
set(cwd "${WORK}")
function(grade n)
  set(json "${WORK}/${n}.json")
  execute_process(COMMAND "${GRADE}" "--build=${build}" "--work=${WORK}/${n}" "--json=${json}"
    --no-pictures --seed=1 "--reference=${reference}" ${ARGN} "${SCENARIO}" "${FILE}"
    WORKING_DIRECTORY "${cwd}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("grade ${n} ${ARGN}: exit ${rc}\n${out}${err}")
  if(rc EQUAL 77)
    message("grade test skipped: a detector is not installed here")
    set(skipped 1 PARENT_SCOPE)
    return()
  elseif(NOT rc EQUAL 0 AND NOT rc EQUAL 1)
    message(FATAL_ERROR "grade ${n}: not graded (exit ${rc})")
  endif()
  file(READ "${json}" board)
  foreach(key runs copied)
    string(JSON v ERROR_VARIABLE e GET "${board}" extra_data reference_runs ${key})
    if(e)
      message(FATAL_ERROR "${json}: no extra_data.reference_runs.${key}: ${e}")
    endif()
    set(${key}_${n} ${v} PARENT_SCOPE)
  endforeach()
  string(JSON store ERROR_VARIABLE e GET "${board}" extra_data reference_runs store)
  set(store_${n} "${store}" PARENT_SCOPE)
  string(JSON n_tests LENGTH "${board}" tests)
  math(EXPR last "${n_tests} - 1")
  set(checks "")
  foreach(i RANGE ${last})
    string(JSON id GET "${board}" tests ${i} name)
    string(JSON score GET "${board}" tests ${i} score)
    list(APPEND checks "${id}=${score}")
  endforeach()
  set(checks_${n} "${checks}" PARENT_SCOPE)
endfunction()

# expect(WHAT GOT WANTED)
function(expect what got wanted)
  if(NOT "${got}" STREQUAL "${wanted}")
    message(FATAL_ERROR "${what}: expected ${wanted}, got ${got}")
  endif()
  message("ok  ${what}: ${got}")
endfunction()

grade(first)
if(skipped)
  return()
endif()
if(NOT runs_first GREATER 0)
  message(FATAL_ERROR "the first grade made no run of the reference (runs ${runs_first})")
endif()
expect("runs copied by the first grade" "${copied_first}" 0)

grade(second)
expect("runs copied by the second grade" "${copied_second}" "${runs_first}")
expect("the second grade's checks and points" "${checks_second}" "${checks_first}")
file(GLOB_RECURSE files "${WORK}/second/run/*")
list(LENGTH files n_files)
if(n_files EQUAL 0)
  message(FATAL_ERROR "the second grade's work directory holds no run")
endif()
foreach(f IN LISTS files)
  file(READ "${f}" text)
  foreach(other "${WORK}/first/" "${store_second}")
    string(FIND "${text}" "${other}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "${f} names ${other}: a copied run's paths must be its own")
    endif()
  endforeach()
endforeach()
message("ok  none of the second grade's ${n_files} run files names the store or the first grade")

file(TOUCH "${reference}")
grade(touched)
expect("runs copied once the reference is touched (rebuilt)" "${copied_touched}" 0)

grade(rerun --rerun-reference)
expect("runs copied with --rerun-reference" "${copied_rerun}" 0)
expect("the store named with --rerun-reference" "${store_rerun}" "")

get_filename_component(cwd "${BUILD}" DIRECTORY)
get_filename_component(build "${BUILD}" NAME)
grade(relative)
expect("runs copied with a relative --build=${build}" "${copied_relative}" "${runs_touched}")
expect("the checks with a relative --build" "${checks_relative}" "${checks_first}")
