# scripts/lib/matrix.sh: reads scenarios/matrix.txt for the lab's scripts (the
# same file cmake/Matrix.cmake reads for CTest). Source it from the repo root.

# Prints the matrix's rows without comments: NAME TOOL LEAKY KINDS [OPTIONS...]
matrix_rows() {
  sed -e 's/#.*//' -e 's/[[:space:]]*$//' scenarios/matrix.txt | grep -v '^$'
}

# Prints the scenario names, in the order of the learning path.
matrix_names() {
  matrix_rows | awk '{ print $1 }' | uniq
}

# Prints the program a detector runs for a twin: matrix_program TOOL VARIANT NAME
matrix_program() {
  local dir=$2
  [ "$1" = lsan ] && dir=$2-asan
  echo "build/bin/$dir/$3"
}
