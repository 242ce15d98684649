# shellcheck shell=bash
# scripts/lib/cells.sh: reads build/cells.tsv, every cell of the detection
# matrix as CTest runs it (written by cmake/LeakLab.cmake from
# scenarios/matrix.txt; the test harness.cells-file checks it against
# CTest's own file). Source it from the repository root once the lab is
# configured. A line is: test, scenario, variant (leaky, fixed, or swap: the
# leaky twin judged by the fixed twin's expectation), tool, expect, kinds,
# labels, program, out, then the leakcheck command, one word a field.

cells_file=build/cells.tsv
cells_header=$'test\tscenario\tvariant\ttool\texpect\tkinds\tlabels\tprogram\tout\tcommand'

# Prints the cells of VARIANT (every cell without one), header dropped.
# Exits 2 when the file is missing or not the format this reads.
cells() {
  local header=
  [[ -r $cells_file ]] || { echo "${0##*/}: no $cells_file: build the lab first (scripts/build)" >&2; exit 2; }
  IFS= read -r header <"$cells_file" || true
  [[ $header == "$cells_header" ]] ||
    { echo "${0##*/}: $cells_file does not start with the header this script reads" >&2; exit 2; }
  awk -F'\t' -v v="${1:-}" 'NR > 1 && (v == "" || $3 == v)' "$cells_file"
}

# Prints the scenarios, in the order of the learning path, one a line.
cells_names() { cells leaky | cut -f2 | awk '!seen[$0]++'; }

# Prints the matrix's tools, in the order of its columns, one a line.
cells_tools() { cells leaky | cut -f4 | awk '!seen[$0]++'; }

# cell_command TEST OUT: sets the array cell_cmd to the command of TEST, its
# report directory (--out=) made OUT. Returns 1 if there is no such cell.
cell_command() {
  local line i
  line=$(cells | awk -F'\t' -v t="$1" '$1 == t') || exit 2
  [[ -n $line ]] || return 1
  IFS=$'\t' read -ra cell_cmd <<<"$line"
  cell_cmd=("${cell_cmd[@]:9}")
  for i in "${!cell_cmd[@]}"; do
    [[ ${cell_cmd[i]} == -- ]] && break
    [[ ${cell_cmd[i]} == --out=* ]] && cell_cmd[i]=--out=$2
  done
  return 0
}
