# LeakLab.cmake: the scenario builds and the CTest detection matrix.
include(${CMAKE_CURRENT_LIST_DIR}/Matrix.cmake)

# The instructor edition has the fixed twins in fixed/; the student edition
# (scripts/student-edition, docs/student-edition.md) has none, and every
# target and test of a fixed twin is then left out.
if(EXISTS ${PROJECT_SOURCE_DIR}/fixed)
  set(LEAKLAB_FIXED_TWINS ON)
  set(LEAKLAB_VARIANTS leaky fixed)
else()
  set(LEAKLAB_FIXED_TWINS OFF)
  set(LEAKLAB_VARIANTS leaky)
endif()

# Flags of the lab: no optimisation (clang removes a leaked malloc at -O2),
# frame pointers for the stacks, DWARF 4 (valgrind 3.19 cannot read clang's
# default DWARF 5).
set(LEAKLAB_SCENARIO_FLAGS -O0 -g -gdwarf-4 -fno-omit-frame-pointer -Wall -Wextra -Wpedantic)
set(LEAKLAB_REPORTS ${PROJECT_BINARY_DIR}/reports)
# The static analysers compile the scenario's source with the same flags (and
# the C standard and thread flag the targets get from CMake).
set(LEAKLAB_ANALYZER_FLAGS -std=c${CMAKE_C_STANDARD} ${LEAKLAB_SCENARIO_FLAGS} -pthread)
# The same flags for a reader who runs an analyser by hand (docs/harness.md),
# one a line.
string(REPLACE ";" "\n" _flags "${LEAKLAB_ANALYZER_FLAGS}")
file(WRITE ${PROJECT_BINARY_DIR}/analyzer-flags.txt "${_flags}\n")

# Builds one binary of a scenario into bin/<dir>/<name>.
function(leaklab_add_binary target source dir)
  add_executable(${target} ${source})
  target_compile_options(${target} PRIVATE ${LEAKLAB_SCENARIO_FLAGS} ${ARGN})
  target_link_options(${target} PRIVATE ${ARGN})
  target_link_libraries(${target} PRIVATE Threads::Threads)
  get_filename_component(name ${source} NAME_WE)
  set_target_properties(${target} PROPERTIES OUTPUT_NAME ${name}
    RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bin/${dir})
endfunction()

# Four binaries per scenario: <name>.leaky and <name>.fixed (plain, for
# valgrind and the census) and their .asan builds (for LeakSanitizer); the
# student edition has only the first two.
function(leaklab_add_scenario name)
  foreach(variant IN LISTS LEAKLAB_VARIANTS)
    set(source ${PROJECT_SOURCE_DIR}/fixed/${name}.c)
    if(variant STREQUAL "leaky")
      set(source ${PROJECT_SOURCE_DIR}/scenarios/${name}.c)
    endif()
    leaklab_add_binary(${name}.${variant} ${source} ${variant})
    leaklab_add_binary(${name}.${variant}.asan ${source} ${variant}-asan -fsanitize=address)
  endforeach()
endfunction()

# Adds one leakcheck test and its line of the cells file (see
# leaklab_write_cells). ARGN: leakcheck options, then -- and the program.
# Its reports are part of the fixture lab-reports, which the HTML report reads.
function(leaklab_add_check test labels cell)
  add_test(NAME ${test} COMMAND $<TARGET_FILE:leakcheck> ${ARGN})
  set_tests_properties(${test} PROPERTIES LABELS "${labels}" SKIP_RETURN_CODE 77 TIMEOUT 300
    FIXTURES_SETUP lab-reports)
  leaklab_add_cell(${test} "${labels}" "${cell}" $<TARGET_FILE:leakcheck> ${ARGN})
endfunction()

# Appends a line to the cells file: TEST, LABELS (;-list), CELL (a ;-list:
# scenario, variant, tool, expect, kinds, program, out), then the command.
function(leaklab_add_cell test labels cell)
  string(REPLACE ";" "," labels "${labels}")
  set(fields ${test} ${cell})
  list(INSERT fields 6 ${labels})
  list(APPEND fields ${ARGN})
  foreach(field IN LISTS fields)
    if(field MATCHES "\t|\n" OR field STREQUAL "")
      message(FATAL_ERROR "cells file: an empty field, or one with a tab or newline, in ${test}: '${field}'")
    endif()
  endforeach()
  string(REPLACE ";" "\t" line "${fields}")
  set_property(GLOBAL APPEND_STRING PROPERTY LEAKLAB_CELLS "${line}\n")
endfunction()

# Writes ${PROJECT_BINARY_DIR}/cells.tsv: every cell of the matrix as CTest
# runs it, for the scripts (docs/maintainers.md, "The cells file"). A strict
# TSV: the header line below, then one line per test, no field empty (- for
# none), none holding a tab; the command's words are the last fields, one
# each: test, scenario, variant (leaky, fixed, or swap: the leaky twin
# judged by the fixed twin's expectation), tool, expect, kinds (what must be
# reported, comma-separated, - for none), labels (comma-separated), program
# (the binary, or a static tool's source), out (the report directory),
# command... (the whole leakcheck command, the leakcheck binary first).
function(leaklab_write_cells)
  get_property(cells GLOBAL PROPERTY LEAKLAB_CELLS)
  file(GENERATE OUTPUT ${PROJECT_BINARY_DIR}/cells.tsv CONTENT
    "test\tscenario\tvariant\ttool\texpect\tkinds\tlabels\tprogram\tout\tcommand\n${cells}")
endfunction()

# What leakcheck judges for one twin (VARIANT leaky or fixed) under TOOL:
# in OUT the binary after --, or, for a static tool, the source with the
# lab's flags; in PROGRAM the binary or the source.
function(leaklab_subject name variant tool out program)
  set(dir scenarios)
  if(variant STREQUAL "fixed")
    set(dir fixed)
  endif()
  if(tool IN_LIST LEAKLAB_STATIC_TOOLS)
    set(${program} ${PROJECT_SOURCE_DIR}/${dir}/${name}.c PARENT_SCOPE)
    set(${out} --source=${PROJECT_SOURCE_DIR}/${dir}/${name}.c -- ${LEAKLAB_ANALYZER_FLAGS}
      PARENT_SCOPE)
  elseif(tool STREQUAL "lsan")
    set(${program} $<TARGET_FILE:${name}.${variant}.asan> PARENT_SCOPE)
    set(${out} -- $<TARGET_FILE:${name}.${variant}.asan> PARENT_SCOPE)
  else()
    set(${program} $<TARGET_FILE:${name}.${variant}> PARENT_SCOPE)
    set(${out} -- $<TARGET_FILE:${name}.${variant}> PARENT_SCOPE)
  endif()
endfunction()

# The matrix: for every row, the leaky twin's test, the fixed twin's test,
# and, where the two twins' expectations differ (a leak caught, or a false
# alarm on the fixed twin that the leaky one does not draw), a swap test: the
# leaky twin judged by the fixed twin's expectation must make leakcheck fail
# (exit 1, not 2).
function(leaklab_add_matrix_tests)
  foreach(row IN LISTS LEAKLAB_ROWS)
    leaklab_row_fields("${row}")
    separate_arguments(options UNIX_COMMAND "${options}")
    set(clean_options ${options})
    list(FILTER clean_options EXCLUDE REGEX "^--site=")
    set(leaky_options ${clean_options})
    if(leaky STREQUAL "leak")
      set(leaky_options ${options})
    endif()
    if(NOT kinds STREQUAL "-")
      list(APPEND leaky_options --kinds=${kinds})
    endif()
    set(fixed_options ${clean_options})
    if(NOT fixed_kinds STREQUAL "-")
      list(APPEND fixed_options --kinds=${fixed_kinds})
    endif()
    leaklab_subject(${name} leaky ${tool} leaky_subject leaky_program)
    leaklab_subject(${name} fixed ${tool} fixed_subject fixed_program)
    set(leaky_kinds ${kinds})
    set(out ${LEAKLAB_REPORTS}/${name}/leaky/${tool})
    leaklab_add_check(scenario.${name}.leaky.${tool} "scenario;${tool};leaky"
      "${name};leaky;${tool};${leaky};${kinds};${leaky_program};${out}"
      --tool=${tool} --expect=${leaky} ${leaky_options} --out=${out} ${leaky_subject})
    if(NOT LEAKLAB_FIXED_TWINS)
      continue()
    endif()
    set(out ${LEAKLAB_REPORTS}/${name}/fixed/${tool})
    leaklab_add_check(scenario.${name}.fixed.${tool} "scenario;${tool};fixed"
      "${name};fixed;${tool};${fixed};${fixed_kinds};${fixed_program};${out}"
      --tool=${tool} --expect=${fixed} ${fixed_options} --out=${out} ${fixed_subject})
    if(NOT leaky STREQUAL fixed OR NOT fixed_kinds MATCHES "^(-|${kinds})$")
      # Nobody reads a swap test's memcheck.log: one valgrind run.
      set(swap_options ${fixed_options})
      if(tool STREQUAL "memcheck")
        list(APPEND swap_options --text-log=never)
      endif()
      set(out ${LEAKLAB_REPORTS}/${name}/swap/${tool})
      set(command $<TARGET_FILE:leakcheck> --tool=${tool} --expect=${fixed} ${swap_options}
        --out=${out} ${leaky_subject})
      add_test(NAME swap.${name}.${tool} COMMAND ${CMAKE_COMMAND} -DEXPECT_STATUS=1
        -P ${PROJECT_SOURCE_DIR}/cmake/expect_status.cmake -- ${command})
      set_tests_properties(swap.${name}.${tool} PROPERTIES LABELS "swap;${tool}" TIMEOUT 300
        SKIP_REGULAR_EXPRESSION "SKIP     ")
      leaklab_add_cell(swap.${name}.${tool} "swap;${tool}"
        "${name};swap;${tool};${fixed};${fixed_kinds};${leaky_program};${out}" ${command})
    endif()
  endforeach()
  leaklab_write_cells()
  foreach(name IN LISTS LEAKLAB_SCENARIOS)
    if(NOT LEAKLAB_FIXED_TWINS)
      break()
    endif()
    add_test(NAME scenario.${name}.output COMMAND ${CMAKE_COMMAND}
      -DLEAKY=$<TARGET_FILE:${name}.leaky> -DFIXED=$<TARGET_FILE:${name}.fixed>
      -P ${PROJECT_SOURCE_DIR}/cmake/compare_output.cmake)
    set_tests_properties(scenario.${name}.output PROPERTIES LABELS "scenario;output")
  endforeach()
  add_test(NAME docs.matrix COMMAND ${CMAKE_COMMAND}
    -DMATRIX=${PROJECT_SOURCE_DIR}/scenarios/matrix.txt
    -DOUT=${PROJECT_BINARY_DIR}/matrix.md -DCOMPARE=${PROJECT_SOURCE_DIR}/docs/matrix.md
    -P ${PROJECT_SOURCE_DIR}/cmake/matrix_doc.cmake)
  set_tests_properties(docs.matrix PROPERTIES LABELS "docs")
  add_custom_target(matrix-doc COMMAND ${CMAKE_COMMAND}
    -DMATRIX=${PROJECT_SOURCE_DIR}/scenarios/matrix.txt
    -DOUT=${PROJECT_SOURCE_DIR}/docs/matrix.md -P ${PROJECT_SOURCE_DIR}/cmake/matrix_doc.cmake
    COMMENT "Writing docs/matrix.md from scenarios/matrix.txt")
endfunction()
