#!/bin/sh
# Every key that `newswired check-config --describe` lists appears in the
# example configuration (set or commented), so the example documents them
# all; and the example itself is valid.
# usage: example_config_documents_every_key.sh NEWSWIRED EXAMPLE
set -eu
nw=$1 example=$2
"$nw" check-config -c "$example" >/dev/null || { echo "FAIL: example invalid" >&2; exit 1; }
missing=""
for key in $("$nw" check-config --describe | sed -n 's/^  \([a-z_.]*\)  .*/\1/p' | sort -u); do
  grep -Eq "^[#;]?[[:space:]]*$key[[:space:]]*=" "$example" || missing="$missing $key"
done
[ -z "$missing" ] || { echo "FAIL: not in $example:$missing" >&2; exit 1; }
echo "ok: every key documented"
