# The guides' tests (ctest -R docs).
#
# docs.excerpts: every excerpt of tool output quoted in docs/ must still be
# what the tools print here. scripts/check-excerpts runs leakcheck once per
# run the excerpts name (into build/reports/docs/) and compares the lines
# that carry the meaning; exit 77 (skipped) when a detector is missing.
add_test(NAME docs.excerpts
  COMMAND ${PROJECT_SOURCE_DIR}/scripts/check-excerpts --build=${PROJECT_BINARY_DIR} --jobs=2)
set_tests_properties(docs.excerpts PROPERTIES
  LABELS "docs" SKIP_RETURN_CODE 77 TIMEOUT 600 PROCESSORS 2
  REQUIRED_FILES "$<TARGET_FILE:leakcheck>")

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
