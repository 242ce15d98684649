# expect_status.cmake: runs the command after "--" and passes only when it
# exits with EXPECT_STATUS. A swap test uses it to show that leakcheck fails
# (exit 1, "expectation does not hold") when a leaky binary is judged by its
# fixed twin's expectation; an exit 2 (not judged) does not count as that.
#   cmake -DEXPECT_STATUS=1 -P expect_status.cmake -- COMMAND [ARGS...]
set(command "")
set(after FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE 1 ${last})
  if(after)
    list(APPEND command "${CMAKE_ARGV${i}}")
  elseif(CMAKE_ARGV${i} STREQUAL "--")
    set(after TRUE)
  endif()
endforeach()
execute_process(COMMAND ${command} RESULT_VARIABLE status)
if(NOT status STREQUAL "${EXPECT_STATUS}")
  message(FATAL_ERROR "expected exit status ${EXPECT_STATUS}, got ${status}")
endif()
message(STATUS "exit status ${status}, as expected")
