# scripts/lib/matrix.sh: reads scenarios/matrix.txt for the lab's scripts (the
# same file cmake/Matrix.cmake reads for CTest). Source it from the repo root.

# The detectors that read a twin's source instead of running its binary.
matrix_static_tools=(gcc-analyzer clang-analyzer)

# Prints the matrix's rows without comments and without their fixed= marker
# (see matrix_fixed): NAME TOOL LEAKY KINDS [OPTIONS...]
matrix_rows() {
  sed -e 's/#.*//' -e 's/[[:space:]]fixed=[^[:space:]]*//' -e 's/[[:space:]]*$//' \
    scenarios/matrix.txt | grep -v '^$'
}

# Prints what the fixed twin must get under a detector: matrix_fixed NAME TOOL
# prints "VERDICT KINDS" (KINDS - for none), "clean -" without a fixed= marker.
matrix_fixed() {
  sed -e 's/#.*//' scenarios/matrix.txt | awk -v s="$1" -v t="$2" '
    $1 == s && $2 == t { for (i = 5; i <= NF; i++) if ($i ~ /^fixed=/) m = substr($i, 7); done = 1 }
    END { if (m == "") m = "clean"; if (m !~ /:/) m = m ":-"; sub(/:/, " ", m); print m }'
}

# Prints the scenario names, in the order of the learning path.
matrix_names() {
  matrix_rows | awk '{ print $1 }' | uniq
}

# Returns 0 if TOOL reads the source: matrix_is_static TOOL
matrix_is_static() {
  [[ " ${matrix_static_tools[*]} " == *" $1 "* ]]
}

# Prints the program a detector runs for a twin: matrix_program TOOL VARIANT NAME
# (for a static tool: the twin's source)
matrix_program() {
  local dir=$2
  if matrix_is_static "$1"; then
    [ "$2" = leaky ] && dir=scenarios
    echo "$dir/$3.c"
    return
  fi
  [ "$1" = lsan ] && dir=$2-asan
  echo "build/bin/$dir/$3"
}

# Prints, one a line, the words that end a leakcheck command for a twin:
# "--" and the binary, or for a static tool "--source=FILE.c", "--" and the
# lab's compile flags (build/analyzer-flags.txt, written by CMake).
# Usage: mapfile -t subject < <(matrix_subject TOOL VARIANT NAME)
matrix_subject() {
  local program
  program=$(matrix_program "$@")
  if matrix_is_static "$1"; then
    printf '%s\n' "--source=$program" --
    cat build/analyzer-flags.txt
  else
    printf '%s\n' -- "$program"
  fi
}
