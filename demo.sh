#!/usr/bin/env bash
# Builds newswired and runs its main job on the embedded default: the daemon
# watches a spool folder and publishes every dispatch dropped there as a JSON
# event on a Kafka topic (librdkafka's in-process mock cluster, no broker to
# install). It drops the sample dispatches into the spool, reads the events
# back from the topic with kcat, and stops. `bash demo.sh --stay` keeps the
# daemon running: drop more files into build/demo/spool/incoming/.
set -euo pipefail
cd "$(dirname "$0")"
NW_NO_KAFKA_BROKER=1 bash tests/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build newswired >/dev/null

demo=build/demo
rm -rf "$demo"
mkdir -p "$demo/spool/incoming"
log=$demo/newswired.log
: >"$log"

echo "==== starting: build/newswired run -c systemd/newswired.demo.conf"
build/newswired run -c systemd/newswired.demo.conf 2>"$log" &
pid=$!
tail -n +1 -f "$log" --pid "$pid" &
trap 'kill "$pid" 2>/dev/null || true' EXIT

for _ in $(seq 100); do
  grep -q 'started with' "$log" && break
  kill -0 "$pid" 2>/dev/null || { echo "newswired exited early" >&2; exit 1; }
  sleep 0.1
done
bootstrap=$(sed -n 's/.*consume with: kcat -b \([^ ]*\) .*/\1/p' "$log" | head -n 1)

echo "==== dropping $(ls tests/samples | wc -l) sample dispatches into $demo/spool/incoming/"
for f in tests/samples/*; do
  cp "$f" "$demo/spool/incoming/.$(basename "$f").tmp"
  mv "$demo/spool/incoming/.$(basename "$f").tmp" "$demo/spool/incoming/$(basename "$f")"
done
for _ in $(seq 200); do
  [ -z "$(ls -A "$demo/spool/incoming")" ] && break
  sleep 0.1
done
sleep 0.5

echo
echo "==== the events on topic newswire.events (kcat -b $bootstrap -C -t newswire.events)"
kcat -b "$bootstrap" -C -t newswire.events -o beginning -e -q -f '%s\n' |
  /usr/bin/python3 -c '
import json, sys
first = None
for line in sys.stdin:
    ev = json.loads(line)
    first = first or ev
    d = ev["dateline"] or {}
    print("%s  %-2s %-10s %-18s quotes=%d  %s" % (ev["id"][:12], ev["language"],
          ev["agency"] or "-", (d.get("city") or "-")[:18], len(ev["quotes"]),
          (ev["headline"] or "(no headline: the dispatch starts at its dateline)")[:60]))
if first:
    q = next((q for q in first["quotes"] if q["speaker"] and q["kind"] == "direct"), None)
    if q:
        print("\nthe first event quotes %s: \"%s\"" % (q["speaker"]["name"], q["text"][:90]))
'
echo
echo "==== spool: $(ls "$demo/spool/done" | wc -l) in done/, $(ls "$demo/spool/failed" 2>/dev/null | grep -vc '\.error\.json$') in failed/ with its reason:"
cat "$demo/spool/failed/"*.error.json 2>/dev/null && echo
echo "==== metrics: curl -s 127.0.0.1:9464/metrics (the series still at zero left out)"
curl -s 127.0.0.1:9464/metrics | grep -E '^newswired_(dispatches|sink_delivered)' | grep -v ' 0$' || true

if [ "${1:-}" = --stay ]; then
  echo "==== newswired keeps running (pid $pid); drop files into $demo/spool/incoming/, Ctrl-C stops it"
  wait "$pid"
else
  echo "==== stopping (SIGTERM)"
  kill -TERM "$pid"
  wait "$pid" && echo "newswired exited 0"
fi
