# The guides' tests (ctest -R docs).
