# GraderPictures.cmake: a grade made without pictures draws none
# (scripts/grade-tests/no-pictures.cmake: no WORK/heap/, where the pictures'
# massif runs go, no line naming the heap page, no "heap_pictures" in the
# scoreboard). Each test reads the work directory of a grade test that runs
# anyway (its fixture), so it costs no grade of its own: unfreed_malloc's
# leaky twin graded as every grade.* test grades (scripts/grade
# --no-pictures), and a class graded by scripts/grade-all without --pictures.
# The check must fail on a grade that drew them: grade.pictures.leaky's.

function(leaklab_add_no_pictures_test what setup dir)
  set_property(TEST ${setup} APPEND PROPERTY FIXTURES_SETUP grade-no-pictures-${what})
  add_test(NAME grade.no-pictures.${what} COMMAND ${CMAKE_COMMAND} -DDIR=${dir}
    -P ${PROJECT_SOURCE_DIR}/scripts/grade-tests/no-pictures.cmake)
  set_tests_properties(grade.no-pictures.${what} PROPERTIES LABELS "grade" TIMEOUT 60
    FIXTURES_REQUIRED grade-no-pictures-${what})
endfunction()

leaklab_add_no_pictures_test(grade grade.unfreed_malloc.leaky
  ${LEAKLAB_GRADE_DIR}/tests/grade.unfreed_malloc.leaky)
leaklab_add_no_pictures_test(grade-all grade.all.class ${LEAKLAB_GRADE_DIR}/tests/grade.all.class/out)
if(TEST grade.pictures.leaky)
  leaklab_add_no_pictures_test(can-fail grade.pictures.leaky
    ${LEAKLAB_GRADE_DIR}/tests/grade.pictures.leaky)
  set_tests_properties(grade.no-pictures.can-fail PROPERTIES WILL_FAIL TRUE)
endif()
