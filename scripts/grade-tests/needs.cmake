# needs.cmake: included by the grade tests' scripts (cmake -P).
# leaklab_needs(VAR...): stops the script, naming it, when a -DVAR=... it
# needs was not given.
function(leaklab_needs)
  get_filename_component(script "${CMAKE_SCRIPT_MODE_FILE}" NAME)
  foreach(var IN LISTS ARGN)
    if(NOT DEFINED ${var})
      message(FATAL_ERROR "${script} needs -D${var}=...")
    endif()
  endforeach()
endfunction()
