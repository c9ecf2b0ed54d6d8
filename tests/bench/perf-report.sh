#!/bin/sh
# The performance report: every benchmark in one run, each beside its
# yardstick on this machine at this moment, against the local real broker
# (tests/kafka/broker.sh, started if needed). The machine may be shared, so
# the ratios are the result; the absolute figures are for the record. Not a
# test and not for CI (it takes minutes).
#
#   tests/bench/perf-report.sh [--baseline REF] [--quick] [--no-rss]
#
#   1  parser, one core, quotes on and off, this tree against REF (default
#      e291e91) built from git in a temporary worktree, alternated 3 times
#   2  linearity per input shape, 500 KB against 50 KB      build/bench_linear
#      (this tree, and REF's parser with the same program)
#   3  spool -> Kafka, 10,000 files dropped at once:        bench_e2e.py
#      newswired, kcat -P of the same events, and the peer
#      forwarder (../shared/tools/peer-spool-kafka) on the same files
#   4  latency paced at 1,000/s, p50/p99                    bench_e2e.py --rate
#   5  raw topic -> events, exactly once, 1 and 2 instances, bench_raw.py
#      against a kcat -C | kcat -P pipe of the same topic
#   6  peak RSS over 1,000,000 dispatches generated as it  bench_raw.py rss
#      goes (skipped with --no-rss)
#
# Environment: BUILD (default build), NW_KAFKA_STATE as for broker.sh,
# E2E_N (10000), PACED_N (5000), RAW_N (50000), RSS_N (1000000),
# RSS_RATE (8000/s), PEER (the peer forwarder). --quick: E2E_N=2000
# PACED_N=2000 RAW_N=10000 RSS_N=100000. Logs in $OUT (default a temporary
# directory), named at the end.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-$root/build}
E2E_N=${E2E_N:-10000} PACED_N=${PACED_N:-5000} RAW_N=${RAW_N:-50000}
RSS_N=${RSS_N:-1000000} RSS_RATE=${RSS_RATE:-8000}
PEER=${PEER:-$root/../shared/tools/peer-spool-kafka}
baseline=e291e91
rss=yes
while [ $# -gt 0 ]; do
	case $1 in
	--baseline) baseline=$2; shift ;;
	--quick) E2E_N=2000 PACED_N=2000 RAW_N=10000 RSS_N=100000 ;;
	--no-rss) rss=no ;;
	*) echo "usage: $0 [--baseline REF] [--quick] [--no-rss]" >&2; exit 2 ;;
	esac
	shift
done
OUT=${OUT:-$(mktemp -d /tmp/nw-perf-XXXXXX)}
mkdir -p "$OUT"
py=/usr/bin/python3
[ -x "$BUILD/newswired" ] && [ -x "$BUILD/bench_parse" ] &&
    [ -x "$BUILD/bench_linear" ] || {
	echo "build first: cmake -S . -B build -G Ninja && ninja -C build" >&2
	exit 1
}
[ -x "$PEER" ] || { echo "no peer forwarder at $PEER (set PEER)" >&2; exit 1; }
say() { printf '%s\n' "$*" >&2; }

# The baseline parser: REF's bench_parse, and this tree's bench_linear.c
# linked against REF's parser library, built once per commit and kept.
rev=$(git -C "$root" rev-parse --short "$baseline^{commit}")
bdir=${XDG_CACHE_HOME:-$HOME/.cache}/newswired/perf-baseline-$rev
if [ ! -x "$bdir/bench_parse" ] || [ ! -x "$bdir/bench_linear" ]; then
	say "building the baseline parser at $rev (once)"
	wt=$(mktemp -d /tmp/nw-baseline-XXXXXX)
	git -C "$root" worktree add --detach -q "$wt/src" "$rev"
	(
		cmake -S "$wt/src" -B "$wt/build" -G Ninja \
		    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNW_BUILD_TESTS=ON >/dev/null
		ninja -C "$wt/build" -j2 bench_parse nwparse >/dev/null
		mkdir -p "$bdir"
		cp "$wt/build/bench_parse" "$bdir/"
		# The parser library and, where the tree has one, the bottom
		# library it links (common/ came after e291e91).
		libs=$(ls "$wt/build/parsers/libnwparse.a" \
		    "$wt/build/common/libnwcommon.a" 2>/dev/null)
		# shellcheck disable=SC2046,SC2086
		cc -O2 -g -D_GNU_SOURCE -I"$wt/src/include" -I"$wt/build/include" \
		    "$here/bench_linear.c" -o "$bdir/bench_linear" $libs \
		    $(pkg-config --libs jansson libutf8proc) -lm
	) || { git -C "$root" worktree remove --force "$wt/src"; rm -rf "$wt"; exit 1; }
	git -C "$root" worktree remove --force "$wt/src"
	rm -rf "$wt"
fi

# The benchmarks find the broker through its state directory, as the tests do.
export NW_KAFKA_STATE="${NW_KAFKA_STATE:-${TMPDIR:-/tmp}/newswired-kafka-$(id -u)}"
started=no
if ! "$root/tests/kafka/broker.sh" status >/dev/null 2>&1; then
	"$root/tests/kafka/broker.sh" start
	started=yes
fi
eval "export $("$root/tests/kafka/broker.sh" env)"
cleanup() { [ $started = no ] || "$root/tests/kafka/broker.sh" stop; }
trap cleanup EXIT

mbs() { sed -n 's/.*one core: \([0-9.]*\) MB\/s.*/\1/p' "$1" | head -n 1; }
median3() { printf '%s\n%s\n%s\n' "$1" "$2" "$3" | sort -g | sed -n 2p; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

say "1/6 parser, this tree and $rev, alternated, quotes on and off"
for mode in on off; do
	flag=; [ $mode = off ] && flag=--no-quotes
	for i in 1 2 3; do
		"$bdir/bench_parse" $flag >"$OUT/parse-base-$mode-$i.txt"
		"$BUILD/bench_parse" $flag >"$OUT/parse-new-$mode-$i.txt"
	done
done
for who in base new; do
	for mode in on off; do
		eval "p_${who}_$mode=\$(median3 \$(mbs $OUT/parse-$who-$mode-1.txt) \
		    \$(mbs $OUT/parse-$who-$mode-2.txt) \$(mbs $OUT/parse-$who-$mode-3.txt))"
	done
done

say "2/6 linearity per shape, this tree and $rev"
"$bdir/bench_linear" --runs 5 >"$OUT/linear-base.txt"
"$BUILD/bench_linear" --runs 5 >"$OUT/linear-new.txt"

say "3/6 spool -> Kafka, $E2E_N files at once: newswired, kcat -P, peer"
$py "$here/bench_e2e.py" -n "$E2E_N" --newswired "$BUILD/newswired" \
    --peer "$PEER" >"$OUT/e2e.txt"
say "4/6 latency paced at 1,000/s ($PACED_N dispatches)"
$py "$here/bench_e2e.py" -n "$PACED_N" --rate 1000 \
    --newswired "$BUILD/newswired" >"$OUT/paced.txt"
say "5/6 raw topic -> events ($RAW_N dispatches, 1 and 2 instances) and the kcat pipe"
$py "$here/bench_raw.py" throughput -n "$RAW_N" --instances 1 2 \
    --newswired "$BUILD/newswired" --tmp "$OUT" >"$OUT/raw.txt"
if [ $rss = yes ]; then
	say "6/6 RSS over $RSS_N dispatches at ${RSS_RATE}/s (minutes)"
	$py "$here/bench_raw.py" rss -n "$RSS_N" --rate "$RSS_RATE" \
	    --newswired "$BUILD/newswired" --tmp "$OUT" >"$OUT/rss.txt"
fi

field() { sed -n "$2" "$OUT/$1" | head -n 1; }
e_dps=$(field e2e.txt 's/^  throughput *\([0-9]*\) dispatches\/s.*/\1/p')
e_p50=$(field e2e.txt 's/.*p50 \([0-9.]*\) ms.*/\1/p')
e_p99=$(field e2e.txt 's/.*p99 \([0-9.]*\) ms.*/\1/p')
k_eps=$(field e2e.txt 's/^  throughput *\([0-9]*\) events\/s.*/\1/p')
peer_fps=$(field e2e.txt 's/^  throughput *\([0-9]*\) files\/s.*/\1/p')
l_p50=$(field paced.txt 's/.*p50 \([0-9.]*\) ms.*/\1/p')
l_p99=$(field paced.txt 's/.*p99 \([0-9.]*\) ms.*/\1/p')
r1=$(field raw.txt 's/^instances=1: \([0-9]*\) dispatches\/s.*/\1/p')
r2=$(field raw.txt 's/^instances=2: \([0-9]*\) dispatches\/s.*/\1/p')
rp=$(field raw.txt 's/^kcat -C | kcat -P: \([0-9]*\) dispatches\/s.*/\1/p')

printf '\nnewswired performance report, %s, %s against %s\n' \
    "$(date -u '+%Y-%m-%d %H:%M UTC')" \
    "$(git -C "$root" describe --always --dirty)" "$rev"
printf 'machine: %s, %s CPUs (%s), %s MB RAM; Kafka %s (1 local broker)\n' \
    "$(uname -srm)" "$(nproc)" \
    "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
    "$(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo)" \
    "${NW_KAFKA_VERSION:-4.1.0}"
printf 'load average at the end (shared machine): %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '\n| # | measure | newswired | yardstick, same run | ratio |\n|---|---|---|---|---|\n'
printf '| 1 | parser, one core, quotes on (median of 3) | %s MB/s | %s at %s: %s MB/s | %s |\n' \
    "$p_new_on" "bench_parse" "$rev" "$p_base_on" "$(ratio "$p_new_on" "$p_base_on")"
printf '| 1b | the same, --no-quotes | %s MB/s | %s: %s MB/s | %s |\n' \
    "$p_new_off" "$rev" "$p_base_off" "$(ratio "$p_new_off" "$p_base_off")"
printf '| 2 | worst 500 KB / 50 KB ratio over 6 shapes (at most 12) | %s | %s: %s | — |\n' \
    "$(sed -n 's/^worst ratio \([0-9.]*\).*/\1/p' "$OUT/linear-new.txt")" "$rev" \
    "$(sed -n 's/^worst ratio \([0-9.]*\).*/\1/p' "$OUT/linear-base.txt")"
printf '| 3 | spool -> Kafka, %s files at once | %s dispatches/s, p50 %s ms, p99 %s ms | kcat -P: %s events/s | %s |\n' \
    "$E2E_N" "$e_dps" "$e_p50" "$e_p99" "$k_eps" "$(ratio "$e_dps" "$k_eps")"
printf '| 3b | the same files | | peer-spool-kafka: %s files/s | %s |\n' \
    "$peer_fps" "$(ratio "$e_dps" "$peer_fps")"
printf '| 4 | latency paced at 1,000/s (%s) | p50 %s ms, p99 %s ms (at most 20) | — | — |\n' \
    "$PACED_N" "$l_p50" "$l_p99"
printf '| 5 | raw topic -> events, exactly once, 1 instance (%s) | %s dispatches/s | kcat -C \\| kcat -P: %s/s | %s |\n' \
    "$RAW_N" "$r1" "$rp" "$(ratio "$r1" "$rp")"
printf '| 5b | the same, 2 instances | %s dispatches/s | | %s |\n' "$r2" "$(ratio "$r2" "$rp")"
if [ $rss = yes ]; then
	rline=$(sed -n 's/^rss: //p' "$OUT/rss.txt")
	printf '| 6 | peak RSS, %s dispatches generated at %s/s | %s | | |\n' "$RSS_N" "$RSS_RATE" "$rline"
fi
printf '\nlinearity per shape, this tree (CPU time; 10x is linear):\n'
sed -n 's/^shape /  /p' "$OUT/linear-new.txt"
printf 'the same, %s:\n' "$rev"
sed -n 's/^shape /  /p' "$OUT/linear-base.txt"
if [ $rss = yes ]; then
	printf '\nRSS samples (part 6):\n'
	grep '^  t=' "$OUT/rss.txt" | awk 'NR % 4 == 1'
fi
printf '\nlogs: %s\n' "$OUT"
