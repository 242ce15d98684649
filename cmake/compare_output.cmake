# compare_output.cmake: the fix keeps the program's job. Runs the leaky and
# the fixed twin with their default workload and passes when both exit 0 and
# print the same, non-empty stdout.
#   cmake -DLEAKY=path -DFIXED=path -P compare_output.cmake
foreach(variant LEAKY FIXED)
  execute_process(COMMAND ${${variant}} RESULT_VARIABLE status_${variant}
    OUTPUT_VARIABLE out_${variant} ERROR_VARIABLE err_${variant} TIMEOUT 60)
  if(NOT status_${variant} STREQUAL "0")
    message(FATAL_ERROR "${${variant}} exited ${status_${variant}}\n"
      "stdout:\n${out_${variant}}\nstderr:\n${err_${variant}}")
  endif()
endforeach()
if(out_LEAKY STREQUAL "")
  message(FATAL_ERROR "${LEAKY} printed nothing")
endif()
if(NOT out_LEAKY STREQUAL out_FIXED)
  message(FATAL_ERROR "the twins print different results\n"
    "expected (leaky, ${LEAKY}):\n${out_LEAKY}\ngot (fixed, ${FIXED}):\n${out_FIXED}")
endif()
message(STATUS "both print: ${out_LEAKY}")
