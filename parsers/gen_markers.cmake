# Generates the parser's marker table (markers_table.h) from markers.tsv,
# the one source of the version markers (see docs/story-markers.md):
#   cmake -DIN=markers.tsv -DOUT=markers_table.h -P gen_markers.cmake
# Rows whose marker is a shape in angle brackets (<one-line dispatch>) are
# mechanisms in markers.c, and metadata rows are not text: both are skipped.
# A malformed row fails the build rather than dropping a marker.
cmake_minimum_required(VERSION 3.25)
set(positions line-before-headline headline-prefix headline-suffix headline
  whole-headline-caps whole-item slug-prefix slug-suffix slug-line
  advisory-line timestamp-line closing-line closing-note body-line metadata)
set(kinds flash update correction kill repeat none)
file(STRINGS "${IN}" rows ENCODING UTF-8)
set(out "/* Generated from parsers/markers.tsv by gen_markers.cmake: edit the\n * table, not this file. */\n")
set(n 0)
foreach(row IN LISTS rows)
  math(EXPR n "${n} + 1")
  if(n EQUAL 1)
    continue() # the header
  endif()
  set(fields "")
  set(rest "${row}")
  foreach(i RANGE 3)
    string(FIND "${rest}" "\t" t)
    if(t LESS 1)
      message(FATAL_ERROR "${IN}:${n}: five tab-separated fields expected")
    endif()
    string(SUBSTRING "${rest}" 0 ${t} f)
    math(EXPR t "${t} + 1")
    string(SUBSTRING "${rest}" ${t} -1 rest)
    list(APPEND fields "${f}")
  endforeach()
  list(GET fields 0 marker)
  list(GET fields 2 pos)
  list(GET fields 3 kind)
  if(NOT pos IN_LIST positions OR NOT kind IN_LIST kinds)
    message(FATAL_ERROR "${IN}:${n}: unknown position ${pos} or kind ${kind}")
  endif()
  string(SUBSTRING "${marker}" 0 1 first)
  if(first STREQUAL "<" OR pos STREQUAL "metadata")
    continue()
  endif()
  string(REPLACE "\\" "\\\\" marker "${marker}")
  string(REPLACE "\"" "\\\"" marker "${marker}")
  string(TOUPPER "${pos}" pos)
  string(REPLACE "-" "_" pos "${pos}")
  string(TOUPPER "${kind}" kind)
  string(APPEND out "{\"${marker}\", MK_${pos}, MK_${kind}},\n")
endforeach()
file(WRITE "${OUT}.tmp" "${out}")
# only touch the header when it changed, so the parsers do not rebuild
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
