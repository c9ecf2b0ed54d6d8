#!/bin/sh
# The performance report: runs every benchmark on this machine against the
# local real broker (tests/kafka/broker.sh, started if needed) and prints one
# table. Not a test and not for CI (part 5 alone takes minutes).
#
#   tests/bench/perf-report.sh [--quick] [--no-rss]
#
#   1  parser throughput, one core         build/bench_parse
#   2  spool -> Kafka end to end, p50/p99  tests/bench/bench_e2e.py
#   3  kcat -P ceiling and ratio           tests/bench/bench_e2e.py
#   4  raw topic -> events, 1 and 2        tests/bench/bench_raw.py throughput
#      instances (exactly once)
#   5  peak RSS over 1,000,000 dispatches  tests/bench/bench_raw.py rss
#      generated as it goes
#
# Environment: BUILD (default build), NW_KAFKA_STATE as for broker.sh,
# E2E_N (10000), RAW_N (50000), RSS_N (1000000), RSS_RATE (8000/s).
# --quick: E2E_N=2000 RAW_N=10000 RSS_N=100000. Full logs in $OUT (default
# a temporary directory), printed at the end.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-$root/build}
E2E_N=${E2E_N:-10000} RAW_N=${RAW_N:-50000}
RSS_N=${RSS_N:-1000000} RSS_RATE=${RSS_RATE:-8000}
rss=yes
for a in "$@"; do
	case $a in
	--quick) E2E_N=2000 RAW_N=10000 RSS_N=100000 ;;
	--no-rss) rss=no ;;
	*) echo "usage: $0 [--quick] [--no-rss]" >&2; exit 2 ;;
	esac
done
OUT=${OUT:-$(mktemp -d /tmp/nw-perf-XXXXXX)}
mkdir -p "$OUT"
py=/usr/bin/python3
[ -x "$BUILD/newswired" ] && [ -x "$BUILD/bench_parse" ] || {
	echo "build first: cmake -S . -B build -G Ninja && ninja -C build" >&2
	exit 1
}

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

say() { printf '%s\n' "$*" >&2; }
say "1/5 parser (bench_parse)"
"$BUILD/bench_parse" >"$OUT/parse.txt"
say "2-3/5 spool -> Kafka and kcat -P ($E2E_N dispatches)"
$py "$here/bench_e2e.py" -n "$E2E_N" --newswired "$BUILD/newswired" >"$OUT/e2e.txt"
say "4/5 raw topic -> events ($RAW_N dispatches, 1 and 2 instances)"
$py "$here/bench_raw.py" throughput -n "$RAW_N" --instances 1 2 \
    --newswired "$BUILD/newswired" --tmp "$OUT" >"$OUT/raw.txt"
# The same with bigger transactions (a commit blocks the loop for a moment).
$py "$here/bench_raw.py" throughput -n "$RAW_N" --instances 1 2 \
    --max-inflight 4096 --newswired "$BUILD/newswired" --tmp "$OUT" \
    >"$OUT/raw-4096.txt"
if [ $rss = yes ]; then
	say "5/5 RSS over $RSS_N dispatches at ${RSS_RATE}/s (minutes)"
	$py "$here/bench_raw.py" rss -n "$RSS_N" --rate "$RSS_RATE" \
	    --newswired "$BUILD/newswired" --tmp "$OUT" >"$OUT/rss.txt"
fi

field() { sed -n "$2" "$OUT/$1" | head -n 1; }
p_mbs=$(field parse.txt 's/.*one core: \([0-9.]*\) MB\/s.*/\1/p')
p_dps=$(field parse.txt 's/.*MB\/s, \([0-9]*\) dispatches\/s.*/\1/p')
e_dps=$(field e2e.txt 's/^  throughput *\([0-9]*\) dispatches\/s.*/\1/p')
e_p50=$(field e2e.txt 's/.*p50 \([0-9.]*\) ms.*/\1/p')
e_p99=$(field e2e.txt 's/.*p99 \([0-9.]*\) ms.*/\1/p')
k_eps=$(field e2e.txt 's/^  throughput *\([0-9]*\) events\/s.*/\1/p')
ratio=$(field e2e.txt 's/^ratio newswired \/ kcat -P *\([0-9.]*\).*/\1/p')
r1=$(field raw.txt 's/^instances=1: \([0-9]*\) dispatches\/s.*/\1/p')
r2=$(field raw.txt 's/^instances=2: \([0-9]*\) dispatches\/s.*/\1/p')
t1=$(field raw-4096.txt 's/^instances=1: \([0-9]*\) dispatches\/s.*/\1/p')
t2=$(field raw-4096.txt 's/^instances=2: \([0-9]*\) dispatches\/s.*/\1/p')

printf '\nnewswired performance report, %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
printf 'machine: %s, %s CPUs (%s), %s MB RAM; Kafka %s (1 local broker)\n' \
    "$(uname -srm)" "$(nproc)" \
    "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
    "$(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo)" \
    "${NW_KAFKA_VERSION:-4.1.0}"
printf 'load average at the end (shared machine): %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '\n| # | measure | result |\n|---|---|---|\n'
printf '| 1 | parser, one core (parse + JSON) | %s MB/s, %s dispatches/s |\n' "$p_mbs" "$p_dps"
printf '| 2 | spool -> Kafka end to end (%s dispatches) | %s dispatches/s, p50 %s ms, p99 %s ms |\n' "$E2E_N" "$e_dps" "$e_p50" "$e_p99"
printf '| 3 | kcat -P, same events (ceiling) | %s events/s; ratio newswired/kcat %s |\n' "$k_eps" "$ratio"
printf '| 4 | raw topic -> events, exactly once (%s) | 1 instance %s dispatches/s, 2 instances %s dispatches/s |\n' "$RAW_N" "$r1" "$r2"
printf '| 4b | the same, max_inflight = 4096 (2048 per transaction) | 1 instance %s dispatches/s, 2 instances %s dispatches/s |\n' "$t1" "$t2"
if [ $rss = yes ]; then
	rline=$(sed -n 's/^rss: //p' "$OUT/rss.txt")
	printf '| 5 | peak RSS, %s dispatches generated at %s/s | %s |\n' "$RSS_N" "$RSS_RATE" "$rline"
	printf '\nRSS samples (part 5):\n'
	grep '^  t=' "$OUT/rss.txt" | awk 'NR % 4 == 1' 
fi
printf '\nlogs: %s\n' "$OUT"
