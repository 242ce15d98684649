# options_doc.cmake: the options table of docs/harness.md is the one leakcheck
# parses (leakcheck --options-table prints its table of options as Markdown).
#   cmake -DLEAKCHECK=<leakcheck> -DDOC=docs/harness.md -P options_doc.cmake
cmake_minimum_required(VERSION 3.21)
execute_process(COMMAND ${LEAKCHECK} --options-table OUTPUT_VARIABLE want RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "leakcheck --options-table failed (${rc})")
endif()
file(READ ${DOC} doc)
string(FIND "${doc}" "| option | default | meaning |\n" at)
if(at LESS 0)
  message(FATAL_ERROR "${DOC}: no '| option | default | meaning |' table")
endif()
string(SUBSTRING "${doc}" ${at} -1 rest)
# The table: its lines up to the first that is not a row.
string(REGEX MATCH "^(\\|[^\n]*\n)+" got "${rest}")
if(NOT got STREQUAL want)
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/options-table.md "${want}")
  message(FATAL_ERROR "${DOC}'s options table is not leakcheck's (harness/leakcheck.c,"
    " option_specs[]): replace it with ${CMAKE_CURRENT_BINARY_DIR}/options-table.md"
    " (leakcheck --options-table)\n  docs:\n${got}\n  leakcheck:\n${want}")
endif()
message(STATUS "${DOC}: the options table is leakcheck's")
