#!/bin/sh
# The Kafka source's and the kafka-txn sink's keys: a valid configuration
# passes `check-config`; each bad value is rejected with FILE:LINE and its
# reason; --describe lists both types.
# usage: config_keys.sh NEWSWIRED
set -eu
nw=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fails=0

write() { # $1: extra source lines, $2: extra sink lines
	cat >"$dir/c.conf" <<EOF2
[daemon]
state_dir = state

[source raw]
type = kafka
sinks = out
$1

[sink out]
type = kafka-txn
brokers = 127.0.0.1:9
$2
EOF2
}

ok() { # $1 source extra, $2 sink extra
	write "$1" "$2"
	if ! out=$("$nw" check-config -c "$dir/c.conf" 2>&1); then
		echo "FAIL: valid config rejected: $out" >&2
		fails=$((fails + 1))
	fi
}

bad() { # $1 source extra, $2 sink extra, $3 expected reason (grep -E)
	write "$1" "$2"
	if out=$("$nw" check-config -c "$dir/c.conf" 2>&1); then
		echo "FAIL: accepted: [$1] [$2]" >&2
		fails=$((fails + 1))
	elif ! printf '%s\n' "$out" | grep -Eq "c\.conf:[0-9]+: .*($3)"; then
		echo "FAIL: [$1] [$2]: want '$3', got: $out" >&2
		fails=$((fails + 1))
	fi
}

ok "brokers = 127.0.0.1:9
exactly_once = yes" "transactional_id = host1
transaction_timeout = 10s
raw = no
kafka.compression.type = zstd"
bad "" "" "brokers"
bad "brokers = 127.0.0.1:9
session_timeout = 500ms" "" "session_timeout must be 1s..1h"
bad "brokers = 127.0.0.1:9
exactly_once = maybe" "" "exactly_once"
bad "brokers = 127.0.0.1:9" "transaction_timeout = 10s
commit_interval = 10s" "commit_interval must be positive and below"
bad "brokers = 127.0.0.1:9" "kafka.transactional.id = x" "set by the sink"
bad "brokers = 127.0.0.1:9" "kafka.no.such.property = 1" "kafka.no.such.property"
bad "brokers = 127.0.0.1:9" "commit_max = 0" "commit_max must be"
ok "brokers = 127.0.0.1:9
exactly_once = yes
topic = newswire.parsed
input = parsed
story_replay = 48h" "transactional_id = host1
parsed = yes"
bad "brokers = 127.0.0.1:9
input = parsed" "" "not the raw topic"
bad "brokers = 127.0.0.1:9
input = cooked" "" "input"
bad "brokers = 127.0.0.1:9
topic = newswire.parsed
input = parsed
story_replay = 10s" "" "story_replay must be at least 1m"
bad "brokers = 127.0.0.1:9" "raw = yes
parsed = yes" "raw and parsed exclude each other"

# The idempotent kafka sink points transactions to kafka-txn.
cat >"$dir/k.conf" <<EOF2
[daemon]
state_dir = state
[source a]
type = spool
path = spool
sinks = k
[sink k]
type = kafka
brokers = 127.0.0.1:9
kafka.transactional.id = x
EOF2
if out=$("$nw" check-config -c "$dir/k.conf" 2>&1) ||
    ! printf '%s\n' "$out" | grep -q "k.conf:10: .*type = kafka-txn"; then
	echo "FAIL: kafka sink with kafka.transactional.id: $out" >&2
	fails=$((fails + 1))
fi

desc=$("$nw" check-config --describe)
for want in "type = kafka\$" "type = kafka-txn" "exactly_once" "transactional_id" "raw " "input " "story_replay" "parsed "; do
	printf '%s\n' "$desc" | grep -q -- "$want" || {
		echo "FAIL: --describe lacks '$want'" >&2
		fails=$((fails + 1))
	}
done
[ $fails -eq 0 ] || exit 1
echo "ok: kafka source and kafka-txn sink keys checked"
