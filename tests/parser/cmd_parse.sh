#!/bin/sh
# Whole-program test of `newswired parse`: exit statuses 0/1/2, error lines
# "FILE: reason-code: message", bad input (empty, white space, too large,
# NUL bytes, binary, unknown charset, missing file), standard input, input
# order, --pretty and --charset.
# usage: cmd_parse.sh NEWSWIRED FIXTURES_DIR
exe=$1
fx=$2
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# run EXPECTED_STATUS ARGS...: runs the command, output in $tmp/out, $tmp/err
run() {
	want=$1
	shift
	"$exe" parse "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" -eq "$want" ] || fail "parse $*: exit $got, want $want ($(cat "$tmp/err"))"
}
lines() { wc -l <"$1" | tr -d ' '; }
json_field() { $py -c "import json,sys; print(json.loads(sys.stdin.readline())$1)" <"$tmp/out"; }

good=$fx/03-reuters.txt
ru=$fx/13-koi8r.txt

# 0: all parsed; one JSON line per input, in input order
run 0 --received-at 2025-06-10T12:00:00Z "$good" "$fx/06-ria.txt"
[ "$(lines "$tmp/out")" = 2 ] || fail "two inputs, $(lines "$tmp/out") lines"
[ -s "$tmp/err" ] && fail "stderr on success: $(cat "$tmp/err")"
$py -c "
import json,sys
a,b=[json.loads(l) for l in open(sys.argv[1])]
assert a['agency']=='Reuters' and b['agency']=='RIA Novosti', (a['agency'],b['agency'])
assert a['source']=={'type':'file','name':None,'uri':sys.argv[2]}, a['source']
assert a['received_at']=='2025-06-10T12:00:00.000Z', a['received_at']
" "$tmp/out" "$good" || fail "events out of order or wrong source"

# standard input
"$exe" parse --received-at 2025-06-10T12:00:00Z - <"$good" >"$tmp/out" 2>"$tmp/err" ||
	fail "stdin: exit $?"
[ "$(json_field "['source']['uri']")" = None ] || fail "stdin uri not null"
[ "$(json_field "['headline']")" = "U.S. Senate passes stopgap funding bill, averting shutdown" ] ||
	fail "stdin headline"

# --pretty: indented, still one valid JSON document
run 0 --pretty "$good"
[ "$(lines "$tmp/out")" -gt 10 ] || fail "--pretty not indented"
$py -c "import json,sys; json.load(open(sys.argv[1]))" "$tmp/out" || fail "--pretty not JSON"

# --received-at with an offset is converted to UTC
run 0 --received-at 2026-01-02T09:00:00.5+03:00 "$good"
[ "$(json_field "['received_at']")" = 2026-01-02T06:00:00.500Z ] || fail "offset not applied"

# --charset names the charset: no detection warning, same text
run 0 --charset KOI8-R "$ru"
[ "$(json_field "['warnings']")" = "[]" ] || fail "--charset KOI8-R warned"
[ "$(json_field "['headline']")" = "В Екатеринбурге запустили новый маршрут троллейбуса" ] ||
	fail "--charset KOI8-R headline"

# 1: failures, each on stderr as FILE: code: message, the others printed
: >"$tmp/empty.txt"
printf ' \n\t\r\n  \n' >"$tmp/blank.txt"
printf 'Headline\n\nBody with a NUL \000 byte.\n' >"$tmp/nul.txt"
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\001\000' >"$tmp/png.txt"
run 1 "$tmp/empty.txt" "$good" "$tmp/blank.txt" "$tmp/nul.txt" "$tmp/png.txt" \
	"$tmp/missing.txt"
[ "$(lines "$tmp/out")" = 1 ] || fail "good input among bad ones not printed"
grep -qx "$tmp/empty.txt: empty: .*" "$tmp/err" || fail "empty: $(cat "$tmp/err")"
grep -qx "$tmp/blank.txt: empty: .*" "$tmp/err" || fail "blank"
grep -qx "$tmp/nul.txt: binary: .*" "$tmp/err" || fail "NUL bytes"
grep -qx "$tmp/png.txt: binary: .*" "$tmp/err" || fail "binary"
grep -qx "$tmp/missing.txt: io: .*" "$tmp/err" || fail "missing file"
[ "$(lines "$tmp/err")" = 5 ] || fail "want 5 error lines: $(cat "$tmp/err")"

run 1 --max-size 100 "$good"
grep -qx "$good: too_large: more than the limit of 100 bytes" "$tmp/err" || fail "too large: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && fail "too large input printed"
# the default limit is 512 KiB
head -c 600000 /dev/zero | tr '\0' 'a' >"$tmp/big.txt"
run 1 "$tmp/big.txt"
grep -qx "$tmp/big.txt: too_large: more than the limit of 524288 bytes" "$tmp/err" ||
	fail "default limit: $(cat "$tmp/err")"
# from standard input too, and exactly the limit is fine
head -c 600000 /dev/zero | tr '\0' 'a' | "$exe" parse - >/dev/null 2>"$tmp/err" &&
	fail "too large stdin accepted"
grep -qx -- "-: too_large: .*" "$tmp/err" || fail "too large stdin: $(cat "$tmp/err")"
printf 'Head line\n\nBody.' >"$tmp/sixteen.txt"
run 0 --max-size 16 "$tmp/sixteen.txt"
run 1 --max-size 15 "$tmp/sixteen.txt"

run 1 --charset X-NO-SUCH "$good"
grep -qx "$good: charset: .*X-NO-SUCH.*" "$tmp/err" || fail "unknown charset: $(cat "$tmp/err")"

# invalid UTF-8 is replaced and warned about, not an error
run 0 "$fx/14-invalid-utf8.txt"
json_field "['warnings'][0]" | grep -q "invalid UTF-8" || fail "no warning for invalid UTF-8"
json_field "['body'][0]" | grep -q "caf�" || fail "no U+FFFD in the body"

# 2: usage errors
run 2
run 2 --no-such-option "$good"
run 2 --received-at yesterday "$good"
run 2 --received-at 2025-13-01T00:00:00Z "$good"
run 2 --max-size -5 "$good"
run 2 --max-size lots "$good"
run 2 --charset

[ "$fails" -eq 0 ] && echo "all parse command checks passed"
exit "$fails"
