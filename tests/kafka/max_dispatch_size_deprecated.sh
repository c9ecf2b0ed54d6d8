#!/bin/sh
# The kafka sink's own max_dispatch_size is deprecated: a file that sets it
# still loads, and check-config warns that the daemon's key applies.
# usage: max_dispatch_size_deprecated.sh NEWSWIRED
set -eu
nw=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/c.conf" <<EOF2
[source in]
type = spool
path = $dir/spool
sinks = bus

[sink bus]
type = kafka
brokers = 127.0.0.1:9
max_dispatch_size = 1M
EOF2
if ! out=$("$nw" check-config -c "$dir/c.conf" 2>&1); then
	echo "FAIL: a config with the deprecated key is rejected: $out" >&2
	exit 1
fi
if ! echo "$out" | grep -q 'max_dispatch_size = 1048576 is deprecated.*\[daemon\] max_dispatch_size'; then
	echo "FAIL: no warning naming [daemon] max_dispatch_size in: $out" >&2
	exit 1
fi
# Without the key there is no warning.
sed -i '/^max_dispatch_size/d' "$dir/c.conf"
out=$("$nw" check-config -c "$dir/c.conf" 2>&1)
if echo "$out" | grep -q deprecated; then
	echo "FAIL: warned without the key: $out" >&2
	exit 1
fi
echo "ok: accepted with a warning naming [daemon] max_dispatch_size"
