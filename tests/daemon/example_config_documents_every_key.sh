#!/bin/sh
# The example configuration documents every key: for [daemon] and for each
# source or sink type it shows (`type = X`, set or commented), every key that
# `newswired check-config --describe` lists for that type appears in it (set
# or commented). A type the example does not show yet is reported but does
# not fail, so a new type can land before its example section. The example
# itself must be valid.
# usage: example_config_documents_every_key.sh NEWSWIRED EXAMPLE
set -eu
nw=$1 example=$2
"$nw" check-config -c "$example" >/dev/null || { echo "FAIL: example invalid" >&2; exit 1; }
missing="" absent=""
section=""
"$nw" check-config --describe >"${TMPDIR:-/tmp}/nw-describe.$$"
while IFS= read -r line; do
  case $line in
  "[daemon]") section=daemon ;;
  \[*"type = "*)
    section=${line##*type = }
    if ! grep -Eq "^[#;]?[[:space:]]*type[[:space:]]*=[[:space:]]*$section[[:space:]]*$" "$example"; then
      absent="$absent $section"
      section=-
    fi
    ;;
  "  "[a-z]*)
    [ "$section" = - ] && continue
    key=$(echo "$line" | sed -n 's/^  \([a-z_.]*\)  .*/\1/p')
    [ -n "$key" ] || continue
    grep -Eq "^[#;]?[[:space:]]*$key[[:space:]]*=" "$example" ||
      missing="$missing $section.$key"
    ;;
  esac
done <"${TMPDIR:-/tmp}/nw-describe.$$"
rm -f "${TMPDIR:-/tmp}/nw-describe.$$"
[ -z "$absent" ] || echo "note: types without an example section:$absent"
[ -z "$missing" ] || { echo "FAIL: not in $example:$missing" >&2; exit 1; }
echo "ok: every key of every type shown is documented"
