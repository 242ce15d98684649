# LeakLab.cmake: the scenario builds and the CTest detection matrix.
include(${CMAKE_CURRENT_LIST_DIR}/Matrix.cmake)

# Flags of the lab: no optimisation (clang removes a leaked malloc at -O2),
# frame pointers for the stacks, DWARF 4 (valgrind 3.19 cannot read clang's
# default DWARF 5).
set(LEAKLAB_SCENARIO_FLAGS -O0 -g -gdwarf-4 -fno-omit-frame-pointer -Wall -Wextra -Wpedantic)
set(LEAKLAB_REPORTS ${PROJECT_BINARY_DIR}/reports)

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
# valgrind and the census) and their .asan builds (for LeakSanitizer).
function(leaklab_add_scenario name)
  foreach(variant leaky fixed)
    set(source ${PROJECT_SOURCE_DIR}/fixed/${name}.c)
    if(variant STREQUAL "leaky")
      set(source ${PROJECT_SOURCE_DIR}/scenarios/${name}.c)
    endif()
    leaklab_add_binary(${name}.${variant} ${source} ${variant})
    leaklab_add_binary(${name}.${variant}.asan ${source} ${variant}-asan -fsanitize=address)
  endforeach()
endfunction()

# Adds one leakcheck test. ARGN: leakcheck options, then -- and the program.
# Its reports are part of the fixture lab-reports, which the HTML report reads.
function(leaklab_add_check test labels)
  add_test(NAME ${test} COMMAND $<TARGET_FILE:leakcheck> ${ARGN})
  set_tests_properties(${test} PROPERTIES LABELS "${labels}" SKIP_RETURN_CODE 77 TIMEOUT 300
    FIXTURES_SETUP lab-reports)
endfunction()

# The matrix: for every row, the leaky twin's test, the fixed twin's test,
# and, where the leak is caught, a swap test: the leaky binary judged by the
# fixed twin's expectation must make leakcheck fail (exit 1, not 2).
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
    set(asan "")
    if(tool STREQUAL "lsan")
      set(asan ".asan")
    endif()
    leaklab_add_check(scenario.${name}.leaky.${tool} "scenario;${tool};leaky"
      --tool=${tool} --expect=${leaky} ${leaky_options}
      --out=${LEAKLAB_REPORTS}/${name}/leaky/${tool} -- $<TARGET_FILE:${name}.leaky${asan}>)
    leaklab_add_check(scenario.${name}.fixed.${tool} "scenario;${tool};fixed"
      --tool=${tool} --expect=clean ${clean_options}
      --out=${LEAKLAB_REPORTS}/${name}/fixed/${tool} -- $<TARGET_FILE:${name}.fixed${asan}>)
    if(leaky STREQUAL "leak")
      add_test(NAME swap.${name}.${tool} COMMAND ${CMAKE_COMMAND} -DEXPECT_STATUS=1
        -P ${PROJECT_SOURCE_DIR}/cmake/expect_status.cmake --
        $<TARGET_FILE:leakcheck> --tool=${tool} --expect=clean ${clean_options}
        --out=${LEAKLAB_REPORTS}/${name}/swap/${tool} -- $<TARGET_FILE:${name}.leaky${asan}>)
      set_tests_properties(swap.${name}.${tool} PROPERTIES LABELS "swap;${tool}" TIMEOUT 300)
    endif()
  endforeach()
  foreach(name IN LISTS LEAKLAB_SCENARIOS)
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
