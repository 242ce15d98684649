# pictures.cmake: grades FILE with scripts/grade and checks the grader's heap
# pictures: the page and one SVG per workload, named in results.json, exist,
# are well-formed and render non-blank (check-pages: xmllint, rsvg-convert,
# nothing from the network); and each picture draws the right runs: its
# series labelled "submission" ends main at the level the submission's own
# native run measured at that workload (the figures shim's heap_end, an
# independent measurement), and its "reference" series at the reference's.
# With LEAK=1 the submission's level at main's end must also rise with the
# workload, above the reference's.
#
#   cmake -DGRADE=scripts/grade -DSCENARIO=name -DFILE=path -DWORK=dir
#         -DCHECK_PAGES=harness/tests/check-pages -DPNGSTAT=pngstat
#         [-DLEAK=1] [-DGRADED=1] [-DSWAP=1] -P pictures.cmake
#
# GRADED=1 reads the grade already in WORK. SWAP=1 checks each series
# against the other program's run: the test then must fail (it shows that a
# picture drawing the wrong run is caught).

cmake_minimum_required(VERSION 3.21)
include(${CMAKE_CURRENT_LIST_DIR}/needs.cmake)
leaklab_needs(GRADE SCENARIO FILE WORK CHECK_PAGES PNGSTAT)

if(NOT GRADED)
  file(REMOVE_RECURSE "${WORK}")
  execute_process(COMMAND "${GRADE}" "--work=${WORK}" "--json=${WORK}/results.json" --seed=1
    "${SCENARIO}" "${FILE}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("${out}${err}")
  if(rc EQUAL 77 OR rc EQUAL 2)
    message("grade test skipped: the grader exited ${rc}")
    return()
  endif()
endif()

file(READ "${WORK}/results.json" board)
string(JSON page ERROR_VARIABLE no_page GET "${board}" extra_data heap_pictures page)
if(no_page OR NOT EXISTS "${page}")
  message(FATAL_ERROR "results.json names no heap page that exists (${no_page}${page})")
endif()
execute_process(COMMAND "${CHECK_PAGES}" "${PNGSTAT}" "${WORK}/png" "${WORK}/heap"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out)
message("${out}")
if(rc EQUAL 77)
  message("grade test skipped: ${out}")
  return()
elseif(NOT rc EQUAL 0)
  message(FATAL_ERROR "the grader's pictures are not well-formed or render blank")
endif()

# figure SVG N ATTR VAR: the attribute ATTR of the N-th series in SVG's metadata.
function(figure svg n attr var)
  execute_process(COMMAND xmllint --xpath "string((//*[local-name()='series'])[${n}]/@${attr})"
    "${svg}" OUTPUT_VARIABLE v RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${svg}: no series ${n} in its metadata")
  endif()
  set(${var} "${v}" PARENT_SCOPE)
endfunction()

# heap_end VERDICT VAR: the figure heap_end of a native run's verdict.json.
function(heap_end verdict var)
  file(READ "${verdict}" v)
  string(JSON e GET "${v}" figures heap_end)
  set(${var} "${e}" PARENT_SCOPE)
endfunction()

set(failures 0)
set(previous -1)
foreach(workload default x10 x40 seeded)
  string(JSON svg ERROR_VARIABLE no_svg GET "${board}" extra_data heap_pictures svg ${workload})
  if(no_svg OR NOT EXISTS "${svg}")
    message(FATAL_ERROR "results.json names no picture of workload ${workload} that exists")
  endif()
  heap_end("${WORK}/run/${workload}/verdict.json" sub_native)
  heap_end("${WORK}/run/reference/${workload}/verdict.json" ref_native)
  if(SWAP)
    set(t "${sub_native}")
    set(sub_native "${ref_native}")
    set(ref_native "${t}")
  endif()
  foreach(pair "1;submission;${sub_native}" "2;reference;${ref_native}")
    list(GET pair 0 n)
    list(GET pair 1 label)
    list(GET pair 2 native)
    figure("${svg}" ${n} label got_label)
    figure("${svg}" ${n} end_bytes drawn)
    math(EXPR diff "${drawn} - ${native}")
    string(REGEX REPLACE "^-" "" diff "${diff}")
    math(EXPR allowed "${native} / 50 + 512") # massif counts requested sizes, the shim usable ones
    if(NOT got_label STREQUAL label OR diff GREATER allowed)
      message("FAIL ${workload}: series ${n}: expected \"${label}\" ending main at"
        " ${native} B (its native run, +- ${allowed}), got \"${got_label}\" at ${drawn} B")
      math(EXPR failures "${failures} + 1")
    endif()
    if(label STREQUAL "submission")
      set(sub_drawn ${drawn})
    else()
      set(ref_drawn ${drawn})
    endif()
  endforeach()
  if(LEAK AND NOT workload STREQUAL "seeded")
    if(NOT sub_drawn GREATER ref_drawn OR NOT sub_drawn GREATER previous)
      message("FAIL ${workload}: a leak: expected the submission's level at main's end"
        " (${sub_drawn} B) above the reference's (${ref_drawn} B) and above the smaller"
        " workload's (${previous} B)")
      math(EXPR failures "${failures} + 1")
    endif()
    set(previous ${sub_drawn})
  endif()
  message("ok   ${workload}: submission ends main at ${sub_drawn} B, reference at ${ref_drawn} B")
endforeach()
if(failures GREATER 0)
  message(FATAL_ERROR "${failures} picture check(s) failed")
endif()
