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
