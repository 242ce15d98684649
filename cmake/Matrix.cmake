# Matrix.cmake: reads scenarios/matrix.txt, the lab's detection matrix.
# Used at configure time (tests) and in script mode (docs/matrix.md).
#
# A row is: SCENARIO TOOL LEAKY KINDS [fixed=VERDICT[:KINDS]] [OPTION...] [# NOTE]
#   LEAKY   what the detector must say of the leaky twin: leak or clean
#   KINDS   kinds the detector must report for the leaky twin, comma-separated,
#           or - for none required
#   fixed=  what the detector must say of the fixed twin, when it is not plain
#           clean: a static analyser can warn on a correct program, and that
#           false alarm is asserted too. fixed=leak:malloc-leak is a false leak
#           warning; fixed=clean:use-after-free,null-dereference is no leak
#           but those other warnings. Without it the fixed twin must be clean.
#   since=  since=MAJOR:LEAKY[:KINDS]/FIXED[:KINDS], static analysers only:
#           what the row says from the analyser's major version MAJOR on
#           (gcc's for gcc-analyzer, clang's for clang-analyzer), where a
#           newer analyser no longer draws a false alarm, say. The rest of
#           the row is what the recorded version (the docs say which) reports;
#           the scenario headers and docs/matrix.md describe that one.
#   OPTION  leakcheck options for this row (--site=... applies to the leaky
#           twin's leak expectation only)
#   NOTE    why, in a few words: shown in docs/matrix.md

# The matrix's detectors, in the order of its columns: the harness's own
# list (harness_tools[] in harness/harness.c, printed by leakcheck
# --list-tools) without "native", which judges no leak. The test
# harness.list-tools fails when the two differ.
set(LEAKLAB_TOOLS lsan memcheck massif census gcc-analyzer clang-analyzer)
# The tools that read the source instead of running the program (leakcheck
# --source=FILE.c): their findings are claims, and no grade comes from them.
set(LEAKLAB_STATIC_TOOLS gcc-analyzer clang-analyzer)
# The tools that run the program.
set(LEAKLAB_RUNTIME_TOOLS ${LEAKLAB_TOOLS})
list(REMOVE_ITEM LEAKLAB_RUNTIME_TOOLS ${LEAKLAB_STATIC_TOOLS})

# The since= marker of one row: when LEAKLAB_MAJOR_<TOOL> (set by the lab's
# configure step: the major version of the analyser installed) is at least
# MAJOR, sets leaky, kinds, fixed and fixed_kinds in the caller's scope to
# what the marker says. Without LEAKLAB_MAJOR_<TOOL> (script mode: the docs)
# the row stays the recorded version's.
macro(leaklab_apply_since file line tool since)
  if(NOT "${tool}" IN_LIST LEAKLAB_STATIC_TOOLS OR NOT "${since}" MATCHES
     "^since=([0-9]+):(leak|clean)(:([a-z][a-z0-9.,-]*))?/(leak|clean)(:([a-z][a-z0-9.,-]*))?$")
    message(FATAL_ERROR "${file}: since= wants a static analyser's row and "
      "MAJOR:LEAKY[:KINDS]/FIXED[:KINDS], in '${line}'")
  endif()
  string(TOUPPER "${tool}" _leaklab_t)
  string(REPLACE "-" "_" _leaklab_t "${_leaklab_t}")
  if(DEFINED LEAKLAB_MAJOR_${_leaklab_t} AND
     NOT LEAKLAB_MAJOR_${_leaklab_t} LESS CMAKE_MATCH_1)
    set(leaky "${CMAKE_MATCH_2}")
    set(kinds "${CMAKE_MATCH_4}")
    set(fixed "${CMAKE_MATCH_5}")
    set(fixed_kinds "${CMAKE_MATCH_7}")
    foreach(_leaklab_v kinds fixed_kinds)
      if("${${_leaklab_v}}" STREQUAL "")
        set(${_leaklab_v} "-")
      endif()
    endforeach()
  endif()
endmacro()

# Sets LEAKLAB_SCENARIOS (names, in file order) and LEAKLAB_ROWS (entries
# "name|tool|leaky|kinds|options|note|fixed|fixed_kinds", fixed_kinds - for
# none) in the caller's scope.
function(leaklab_parse_matrix file)
  file(STRINGS "${file}" lines)
  set(rows "")
  set(names "")
  foreach(line IN LISTS lines)
    set(note "")
    if(line MATCHES "#(.*)$")
      string(STRIP "${CMAKE_MATCH_1}" note)
      string(REGEX REPLACE "[;|]" "," note "${note}")
    endif()
    string(REGEX REPLACE "#.*$" "" body "${line}")
    string(STRIP "${body}" body)
    if(body STREQUAL "")
      continue()
    endif()
    string(REGEX REPLACE "[ \t]+" ";" fields "${body}")
    list(LENGTH fields n)
    if(n LESS 4)
      message(FATAL_ERROR "${file}: a row needs SCENARIO TOOL LEAKY KINDS: '${line}'")
    endif()
    list(GET fields 0 name)
    list(GET fields 1 tool)
    list(GET fields 2 leaky)
    list(GET fields 3 kinds)
    set(options "")
    if(n GREATER 4)
      list(SUBLIST fields 4 -1 options)
    endif()
    set(fixed "clean")
    set(fixed_kinds "-")
    set(markers ${options})
    list(FILTER markers INCLUDE REGEX "^fixed=")
    set(since ${options})
    list(FILTER since INCLUDE REGEX "^since=")
    list(FILTER options EXCLUDE REGEX "^(fixed|since)=")
    string(REPLACE ";" " " options "${options}")
    list(LENGTH markers nm)
    if(nm GREATER 1)
      message(FATAL_ERROR "${file}: more than one fixed= in '${line}'")
    elseif(nm EQUAL 1)
      if(NOT markers MATCHES "^fixed=(leak|clean)(:([a-z][a-z0-9.,-]*))?$")
        message(FATAL_ERROR "${file}: fixed= wants leak or clean, then :KINDS, in '${line}'")
      endif()
      set(fixed "${CMAKE_MATCH_1}")
      if(NOT CMAKE_MATCH_3 STREQUAL "")
        set(fixed_kinds "${CMAKE_MATCH_3}")
      endif()
    endif()
    if(NOT "${since}" STREQUAL "")
      leaklab_apply_since("${file}" "${line}" ${tool} "${since}")
    endif()
    if(NOT tool IN_LIST LEAKLAB_TOOLS OR NOT leaky MATCHES "^(leak|clean)$")
      message(FATAL_ERROR "${file}: unknown tool or verdict in '${line}'")
    endif()
    if("${name}|${tool}" IN_LIST seen)
      message(FATAL_ERROR "${file}: ${name} has two rows for ${tool}")
    endif()
    list(APPEND seen "${name}|${tool}")
    if(NOT name IN_LIST names)
      list(APPEND names ${name})
    endif()
    list(APPEND rows "${name}|${tool}|${leaky}|${kinds}|${options}|${note}|${fixed}|${fixed_kinds}")
    if(leaky STREQUAL "leak")
      set(caught_${name} TRUE)
    endif()
  endforeach()
  foreach(name IN LISTS names)
    foreach(tool IN LISTS LEAKLAB_TOOLS)
      if(NOT "${name}|${tool}" IN_LIST seen)
        message(FATAL_ERROR "${file}: ${name} has no row for ${tool}")
      endif()
    endforeach()
    if(NOT caught_${name})
      message(FATAL_ERROR "${file}: no detector catches ${name}'s leak")
    endif()
  endforeach()
  set(LEAKLAB_SCENARIOS "${names}" PARENT_SCOPE)
  set(LEAKLAB_ROWS "${rows}" PARENT_SCOPE)
endfunction()

# Sets name, tool, leaky, kinds, options, note, fixed and fixed_kinds in the caller's scope from
# one entry of LEAKLAB_ROWS.
macro(leaklab_row_fields row)
  string(REPLACE "|" ";" _leaklab_f "${row}")
  list(GET _leaklab_f 0 name)
  list(GET _leaklab_f 1 tool)
  list(GET _leaklab_f 2 leaky)
  list(GET _leaklab_f 3 kinds)
  list(GET _leaklab_f 4 options)
  list(GET _leaklab_f 5 note)
  list(GET _leaklab_f 6 fixed)
  list(GET _leaklab_f 7 fixed_kinds)
endmacro()

# Sets LEAKLAB_MAJOR_GCC_ANALYZER and LEAKLAB_MAJOR_CLANG_ANALYZER, the major
# versions of the analysers the static tools run (gcc and clang on the PATH),
# for the matrix's since= markers. Unset when the analyser is not installed
# (its tests skip). -DLEAKLAB_MAJOR_GCC_ANALYZER=N (say) configures the
# tests as for that version instead.
function(leaklab_analyser_versions)
  foreach(pair "GCC_ANALYZER;gcc" "CLANG_ANALYZER;clang")
    list(GET pair 0 var)
    list(GET pair 1 compiler)
    if(DEFINED LEAKLAB_MAJOR_${var})
      continue()
    endif()
    find_program(LEAKLAB_${var}_COMPILER ${compiler})
    if(NOT LEAKLAB_${var}_COMPILER)
      continue()
    endif()
    execute_process(COMMAND ${LEAKLAB_${var}_COMPILER} -dumpversion
      OUTPUT_VARIABLE version OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
    if(rc EQUAL 0 AND version MATCHES "^([0-9]+)")
      set(LEAKLAB_MAJOR_${var} ${CMAKE_MATCH_1} PARENT_SCOPE)
      message(STATUS "leaklab: ${compiler} ${version} for ${compiler}'s analyser")
    endif()
  endforeach()
endfunction()
