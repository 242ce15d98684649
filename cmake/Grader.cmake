# The grader's tests (ctest -R grade).
