# student-guide.awk: a guide (Markdown) as the student edition has it, without
# what gives the solution away (scripts/student-edition; docs/student-edition.md).
#
#   awk -f scripts/lib/student-guide.awk GUIDE.md >STUDENT.md
#
# Left out:
#   - every "## The fix" section (the diff and its explanation), to the next
#     heading of level 1 or 2;
#   - every block, paragraph, list item or table row that names the fixed twin
#     or shows it (the word "fixed", a FIX: marker: its excerpts, its pictures,
#     its commands), or that speaks of the fix ("the fix", "Go's fix");
#   - an ordered list's items are numbered again after one is left out.
# Put in: the text of each "<!-- student edition: TEXT -->" comment (a block of
# its own), which the instructor edition does not show: a page's own words for
# the student edition, e.g. in place of an introduction that is left out.
# A block is a run of non-blank lines; a fenced code block belongs, whole, to
# the block it is in (with the marker comment just above it).

function gives_away(text) {
  return text ~ /[Ff][Ii][Xx][Ee][Dd]|FIX:|[Tt]he \**[Ff]ix(es)?\**([^a-z]|$)|Go'?s fix|Go fixes/
}

# Prints one part of a block (a paragraph, a list item, a table row) unless it
# gives the solution away; numbers ordered list items again.
function emit(text,    line, n, i, lines) {
  if (text == "" || gives_away(text))
    return
  n = split(text, lines, "\n")
  for (i = 1; i <= n; i++) {
    line = lines[i]
    if (i == 1 && line ~ /^[0-9]+\. /)
      sub(/^[0-9]+\./, ++item ".", line)
    print line
    printed = 1
  }
}

# Prints the current block, part by part: list items and table rows are
# judged one by one, anything else as a whole.
function flush(    n, i, lines, part, line, code) {
  if (nblock == 0)
    return
  n = split(block, lines, "\n")
  part = ""
  code = 0
  for (i = 1; i <= n; i++) {
    line = lines[i]
    if (part != "" && !code && (line ~ /^([0-9]+\.|[-*]) / || line ~ /^\|/ || part ~ /^\|/)) {
      emit_part(part)
      part = ""
    }
    part = part == "" ? line : part "\n" line
    if (line ~ /^```/)
      code = !code
  }
  emit_part(part)
  block = ""
  nblock = 0
}

# A part goes out after a blank line when something was printed before it.
function emit_part(part) {
  if (part !~ /^[0-9]+\. /)
    item = 0
  if (part ~ /^<!-- student edition:/) {
    sub(/^<!-- student edition:[ \n]*/, "", part)
    sub(/[ \n]*-->$/, "", part)
    if (printed && need_blank)
      print ""
    need_blank = 0
    print part
    printed = 1
    return
  }
  if (part == "" || gives_away(part))
    return
  if (printed && need_blank)
    print ""
  need_blank = 0
  emit(part)
}

BEGIN { skipping = 0; fence = 0; nblock = 0; printed = 0; need_blank = 0; item = 0 }

{
  if (!fence && /^#+ /) {
    flush()
    level = index($0, " ") - 1
    if (level <= 2)
      skipping = ($0 ~ /^## The fix *$/)
    if (skipping)
      next
    if (printed)
      print ""
    print
    printed = 1
    need_blank = 1
    item = 0
    next
  }
  if (skipping)
    next
  if (/^```/)
    fence = !fence
  if (!fence && /^[ \t]*$/ && !/^```/) {
    flush()
    need_blank = 1
    next
  }
  block = nblock ? block "\n" $0 : $0
  nblock++
}

END { flush() }
