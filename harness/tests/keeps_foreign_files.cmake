# keeps_foreign_files.cmake: leakcheck clears its own reports of an earlier
# run from --out, and nothing else. Files whose names only look like its
# reports (program.c, memcheck.supp, census.csv, lsan.log.old) must survive;
# its own stale files (lsan.log.123, ms_print.txt) must go.
#   cmake -DBIN_DIR=dir-of-leakcheck -DPROGRAM=path -DOUT=dir -P keeps_foreign_files.cmake
# (its --out, OUT, is its own: harness.out-dirs knows it only by this name)
file(REMOVE_RECURSE "${OUT}")
file(MAKE_DIRECTORY "${OUT}")
set(foreign program.c memcheck.supp census.csv lsan.log.old verdict.txt.bak)
set(stale lsan.log.123 ms_print.txt)
foreach(name IN LISTS foreign stale)
  file(WRITE "${OUT}/${name}" "not a report of this run\n")
endforeach()
execute_process(COMMAND "${BIN_DIR}/leakcheck" --tool=census --expect=clean "--out=${OUT}" -- "${PROGRAM}"
  RESULT_VARIABLE status OUTPUT_VARIABLE out)
if(NOT status STREQUAL "0")
  message(FATAL_ERROR "leakcheck exited ${status}, expected 0:\n${out}")
endif()
foreach(name IN LISTS foreign)
  if(NOT EXISTS "${OUT}/${name}")
    message(FATAL_ERROR "leakcheck deleted ${OUT}/${name}, a file it did not write")
  endif()
endforeach()
foreach(name IN LISTS stale)
  if(EXISTS "${OUT}/${name}")
    message(FATAL_ERROR "leakcheck kept ${OUT}/${name}, a report of an earlier run")
  endif()
endforeach()
message(STATUS "foreign files kept, stale reports removed")
