# The guides' tests (ctest -R docs).
#
# docs.excerpts: every excerpt of tool output quoted in docs/ must still be
# what the tools print here. scripts/check-excerpts reads the reports the
# matrix tests leave in build/reports/<scenario>/<variant>/<tool>/ and
# compares the lines that carry the meaning; exit 77 (skipped) when a
# detector is missing. The matrix tests the excerpts name are the setup of
# the fixture excerpt-reports (check-excerpts --list-runs names them), so
# `ctest -R docs` runs them first; a guide changed reconfigures.
file(GLOB_RECURSE LEAKLAB_GUIDES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.md)
execute_process(COMMAND ${PROJECT_SOURCE_DIR}/scripts/check-excerpts --list-runs
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  OUTPUT_VARIABLE excerpt_runs ERROR_VARIABLE excerpt_error RESULT_VARIABLE excerpt_rc)
if(NOT excerpt_rc EQUAL 0)
  message(WARNING "check-excerpts --list-runs failed (docs.excerpts will say why):\n"
    "${excerpt_error}")
endif()
string(REPLACE "\n" ";" excerpt_runs "${excerpt_runs}")
foreach(run IN LISTS excerpt_runs)
  if(run STREQUAL "")
    continue()
  endif()
  string(REPLACE " " "." test "scenario.${run}")
  if(NOT TEST ${test})
    message(WARNING "an excerpt in docs/ quotes ${run}, which the matrix does not run")
    continue()
  endif()
  set_property(TEST ${test} APPEND PROPERTY FIXTURES_SETUP excerpt-reports)
endforeach()
add_test(NAME docs.excerpts
  COMMAND ${PROJECT_SOURCE_DIR}/scripts/check-excerpts --build=${PROJECT_BINARY_DIR})
set_tests_properties(docs.excerpts PROPERTIES
  LABELS "docs" SKIP_RETURN_CODE 77 TIMEOUT 300 FIXTURES_REQUIRED excerpt-reports
  REQUIRED_FILES "$<TARGET_FILE:leakcheck>")

# docs.excerpts.guide, .missing and .wrong: a small guide's excerpts match
# their reports; check-excerpts fails (exit 1) when a report it needs is not
# there (an empty reports directory) and when an excerpt does not match its
# report (the same guide with one count changed).
add_test(NAME docs.excerpts.missing COMMAND ${CMAKE_COMMAND} -DEXPECT_STATUS=1
  -P ${PROJECT_SOURCE_DIR}/cmake/expect_status.cmake --
  ${PROJECT_SOURCE_DIR}/scripts/check-excerpts --build=${PROJECT_BINARY_DIR}
  --reports=${PROJECT_BINARY_DIR}/excerpt-checks/no-reports
  ${PROJECT_SOURCE_DIR}/harness/tests/excerpts/guide.md)
add_test(NAME docs.excerpts.wrong COMMAND ${CMAKE_COMMAND} -DEXPECT_STATUS=1
  -P ${PROJECT_SOURCE_DIR}/cmake/expect_status.cmake --
  ${PROJECT_SOURCE_DIR}/scripts/check-excerpts --build=${PROJECT_BINARY_DIR}
  ${PROJECT_SOURCE_DIR}/harness/tests/excerpts/wrong.md)
add_test(NAME docs.excerpts.guide
  COMMAND ${PROJECT_SOURCE_DIR}/scripts/check-excerpts --build=${PROJECT_BINARY_DIR}
  ${PROJECT_SOURCE_DIR}/harness/tests/excerpts/guide.md)
set_tests_properties(docs.excerpts.guide docs.excerpts.missing docs.excerpts.wrong PROPERTIES
  LABELS "docs" SKIP_RETURN_CODE 77 FIXTURES_REQUIRED excerpt-reports)

# docs.pictures: every heap picture shown in docs/ must draw the figures the
# lab draws here (scripts/check-pictures compares peak, level at main's end
# and biggest site, not bytes). It reads the pictures leakreport wrote after
# the scenario tests. docs.pictures.changed: a picture with changed figures
# fails.
# Both draw the fixed twin's heap beside the leaky one's: the student edition,
# whose guides show no picture, leaves them out.
if(LEAKLAB_FIXED_TWINS)
add_test(NAME docs.pictures
  COMMAND ${PROJECT_SOURCE_DIR}/scripts/check-pictures --build=${PROJECT_BINARY_DIR})
add_test(NAME docs.pictures.changed COMMAND ${CMAKE_COMMAND} -DEXPECT_STATUS=1
  -P ${PROJECT_SOURCE_DIR}/cmake/expect_status.cmake --
  ${PROJECT_SOURCE_DIR}/scripts/check-pictures --build=${PROJECT_BINARY_DIR}
  ${PROJECT_SOURCE_DIR}/harness/tests/pictures/guide.md)
set_tests_properties(docs.pictures docs.pictures.changed PROPERTIES
  LABELS "docs" SKIP_RETURN_CODE 77 FIXTURES_REQUIRED report-pages)
endif()

# docs.self-contained: no file of the lab points at the directory beside it or
# quotes the notes kept there.
add_test(NAME docs.self-contained COMMAND ${CMAKE_COMMAND}
  -DSOURCE=${PROJECT_SOURCE_DIR} -P ${PROJECT_SOURCE_DIR}/cmake/self_contained.cmake)
set_tests_properties(docs.self-contained PROPERTIES LABELS "docs")

# docs.scenario-headers: the Detectors field of every scenario's header (and
# its fixed twin's) says what scenarios/matrix.txt expects of each detector.
add_test(NAME docs.scenario-headers COMMAND ${CMAKE_COMMAND}
  -DMATRIX=${PROJECT_SOURCE_DIR}/scenarios/matrix.txt -DSOURCE=${PROJECT_SOURCE_DIR}
  -P ${PROJECT_SOURCE_DIR}/cmake/scenario_headers.cmake)
set_tests_properties(docs.scenario-headers PROPERTIES LABELS "docs")

# docs.options: the options table of docs/harness.md is leakcheck's own
# (option_specs[] in harness/leakcheck.c, which also drives its parser and
# its usage message).
add_test(NAME docs.options COMMAND ${CMAKE_COMMAND} -DLEAKCHECK=$<TARGET_FILE:leakcheck>
  -DDOC=${PROJECT_SOURCE_DIR}/docs/harness.md -P ${PROJECT_SOURCE_DIR}/cmake/options_doc.cmake)
set_tests_properties(docs.options PROPERTIES LABELS "docs")
