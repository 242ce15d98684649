# Report.cmake: the lab's HTML report and its tests (ctest -L report).
#
# report.html is a fixture that needs every scenario test (they write the
# reports it reads): it runs leakreport, which writes build/reports/index.html
# and a page per scenario. Then:
#   report.pages    every SVG and HTML file the fixture wrote is well-formed
#                   (xmllint) and renders to a PNG that is not blank (rsvg-convert)
#   report.browser  headless Chromium opens the index and a scenario page: the
#                   screenshots are not blank and the DOM holds every verdict
#   report.pages.blank  check-pages fails a blank picture and a broken page
set(LEAKLAB_CHECK_PAGES ${PROJECT_SOURCE_DIR}/harness/tests/check-pages)
add_test(NAME report.html
  COMMAND $<TARGET_FILE:leakreport> --reports=${LEAKLAB_REPORTS}
  --guides=${PROJECT_SOURCE_DIR}/docs/scenarios ${LEAKLAB_SCENARIOS})
set_tests_properties(report.html PROPERTIES LABELS "report"
  FIXTURES_REQUIRED lab-reports FIXTURES_SETUP report-pages)

if(TARGET pngstat)
  # Only what the fixture wrote: other tests may be writing reports elsewhere
  # under build/reports (swap/, harness/, docs/) while this one reads.
  set(pages ${LEAKLAB_REPORTS}/index.html)
  foreach(name IN LISTS LEAKLAB_SCENARIOS)
    list(APPEND pages ${LEAKLAB_REPORTS}/${name}/index.html ${LEAKLAB_REPORTS}/${name}/heap.svg
      ${LEAKLAB_REPORTS}/${name}/leaky)
    if(LEAKLAB_FIXED_TWINS)
      list(APPEND pages ${LEAKLAB_REPORTS}/${name}/fixed)
    endif()
  endforeach()
  add_test(NAME report.pages COMMAND ${LEAKLAB_CHECK_PAGES} $<TARGET_FILE:pngstat>
    ${PROJECT_BINARY_DIR}/report-checks/pages ${pages})
  # The browser test reads both twins' verdicts in each cell: an edition
  # without fixed twins leaves it out.
  if(LEAKLAB_FIXED_TWINS)
  add_test(NAME report.browser
    COMMAND ${PROJECT_SOURCE_DIR}/harness/tests/check-browser $<TARGET_FILE:pngstat>
    ${LEAKLAB_REPORTS} ${PROJECT_BINARY_DIR}/report-checks/browser)
  endif()
  set_tests_properties(report.pages PROPERTIES LABELS "report"
    FIXTURES_REQUIRED report-pages SKIP_RETURN_CODE 77 TIMEOUT 300)
  if(TEST report.browser)
    set_tests_properties(report.browser PROPERTIES LABELS "report"
      FIXTURES_REQUIRED report-pages SKIP_RETURN_CODE 77 TIMEOUT 300)
  endif()
  add_test(NAME report.pages.blank COMMAND ${CMAKE_COMMAND} -DEXPECT_STATUS=1
    -P ${PROJECT_SOURCE_DIR}/cmake/expect_status.cmake -- ${LEAKLAB_CHECK_PAGES}
    $<TARGET_FILE:pngstat> ${PROJECT_BINARY_DIR}/report-checks/blank
    ${PROJECT_SOURCE_DIR}/harness/tests/pages)
  set_tests_properties(report.pages.blank PROPERTIES LABELS "report")
else()
  message(WARNING "libpng not found: the report's rendering tests are left out")
endif()
