#!/bin/sh
# A real Apache Kafka 4.x broker for the tests: one combined broker+controller
# (KRaft) node on free 127.0.0.1 ports, fetched with Maven and cached.
#
#   broker.sh fetch      download the broker's jars into the cache (once)
#   broker.sh start      format storage (first time) and start; waits until it
#                        answers. A second start after stop reuses the same
#                        data directory and ports (the fault tests need that).
#   broker.sh stop       stop the broker, keep its data
#   broker.sh status     exit 0 when it is running and answering
#   broker.sh env        print NW_KAFKA_BROKERS=host:port
#   broker.sh destroy    stop and delete its data
#
# Environment: NW_KAFKA_STATE (data dir; default $TMPDIR/newswired-kafka-$UID),
# NW_KAFKA_VERSION (default 4.1.0), NW_KAFKA_CACHE (default
# ~/.cache/newswired/kafka-VERSION). Exit 77 (CTest's skip) when Java or Maven
# is missing, except under CI=true, where that is a failure (exit 1).
set -eu

VERSION=${NW_KAFKA_VERSION:-4.1.0}
CACHE=${NW_KAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/newswired/kafka-$VERSION}
STATE=${NW_KAFKA_STATE:-${TMPDIR:-/tmp}/newswired-kafka-$(id -u)}
START_TIMEOUT=${NW_KAFKA_START_TIMEOUT:-120}
SKIP=77
JAVA=${NW_JAVA:-java}

say() { printf 'broker.sh: %s\n' "$*" >&2; }

# Missing tools: a skip for a developer, a failure in CI.
unavailable() {
	if [ "${CI:-}" = true ]; then
		say "FAIL: $* (CI=true: the Kafka tests must run)"
		exit 1
	fi
	say "SKIP: $* - the Kafka integration tests are skipped"
	exit $SKIP
}

need_tools() {
	command -v "$JAVA" >/dev/null 2>&1 || unavailable "java not found (Debian: openjdk-17-jre-headless)"
	command -v kcat >/dev/null 2>&1 || unavailable "kcat not found (Debian: kcat)"
}

fetch() {
	[ -f "$CACHE/libs/.complete" ] && return 0
	need_tools
	command -v mvn >/dev/null 2>&1 || unavailable "mvn not found (Debian: maven)"
	mkdir -p "$CACHE"
	# A throw-away pom whose only purpose is to resolve the broker's runtime
	# classpath; slf4j 2 so that the log4j2 binding is found.
	cat >"$CACHE/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.newswired</groupId>
  <artifactId>kafka-broker-classpath</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$VERSION</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>2.0.17</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j2-impl</artifactId><version>2.24.3</version></dependency>
  </dependencies>
</project>
EOF
	rm -rf "$CACHE/libs.tmp"
	say "fetching Apache Kafka $VERSION with Maven into $CACHE"
	if ! mvn -q -B -f "$CACHE/pom.xml" dependency:copy-dependencies \
	    -DincludeScope=runtime -DoutputDirectory="$CACHE/libs.tmp" \
	    >"$CACHE/mvn.log" 2>&1; then
		tail -n 30 "$CACHE/mvn.log" >&2
		unavailable "Maven could not fetch org.apache.kafka:kafka_2.13:$VERSION"
	fi
	[ -f "$CACHE/libs.tmp/kafka_2.13-$VERSION.jar" ] || {
		say "kafka_2.13-$VERSION.jar missing after the fetch"
		exit 1
	}
	touch "$CACHE/libs.tmp/.complete"
	rm -rf "$CACHE/libs"
	mv "$CACHE/libs.tmp" "$CACHE/libs"
}

# Two free TCP ports on 127.0.0.1 (the kernel picks them).
free_ports() {
	/usr/bin/python3 - <<'EOF'
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

configure() {
	set -- $(free_ports)
	port=$1 cport=$2
	mkdir -p "$STATE/data"
	cat >"$STATE/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$STATE/data
num.partitions=2
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
message.max.bytes=4194304
EOF
	cat >"$STATE/log4j2.properties" <<EOF
appender.file.type=File
appender.file.name=file
appender.file.fileName=$STATE/server.log
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
rootLogger.level=INFO
rootLogger.appenderRef.file.ref=file
logger.kafka.name=kafka
logger.kafka.level=WARN
logger.apache.name=org.apache.kafka
logger.apache.level=WARN
EOF
	echo "127.0.0.1:$port" >"$STATE/bootstrap"
	# A cluster id is 16 random bytes in URL-safe base64. One in 64 starts
	# with "-", which the storage tool's option parser takes for an option
	# (it then says --cluster-id has no value): draw again, as Kafka does.
	cid=$(/usr/bin/python3 -c 'import base64,uuid
while True:
	c = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
	if not c.startswith("-"):
		break
print(c)')
	"$JAVA" -cp "$CACHE/libs/*" -Dlog4j2.configurationFile="$STATE/log4j2.properties" \
	    kafka.tools.StorageTool format -t "$cid" \
	    -c "$STATE/server.properties" >"$STATE/format.log" 2>&1 || {
		cat "$STATE/format.log" >&2
		exit 1
	}
}

pid_alive() {
	[ -f "$STATE/pid" ] && kill -0 "$(cat "$STATE/pid")" 2>/dev/null
}

answers() {
	# Metadata naming our broker id means the broker is registered and serving.
	kcat -b "$(cat "$STATE/bootstrap")" -L -m 2 -J 2>/dev/null |
	    grep -q '"brokers":\[{"id":1'
}

start() {
	fetch
	need_tools
	if pid_alive; then
		answers && return 0
	fi
	[ -f "$STATE/server.properties" ] || configure
	# Heap kept small: the suite shares two cores and other work.
	KAFKA_HEAP=${NW_KAFKA_HEAP:--Xms256m -Xmx512m}
	# shellcheck disable=SC2086
	nohup "$JAVA" $KAFKA_HEAP -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
	    -Djava.awt.headless=true \
	    -Dlog4j2.configurationFile="$STATE/log4j2.properties" \
	    -cp "$CACHE/libs/*" kafka.Kafka "$STATE/server.properties" \
	    >>"$STATE/stdout.log" 2>&1 </dev/null &
	echo $! >"$STATE/pid"
	waited=0
	while ! answers; do
		if ! pid_alive; then
			say "broker exited during start-up; last lines of its log:"
			tail -n 40 "$STATE/server.log" "$STATE/stdout.log" >&2 || true
			exit 1
		fi
		if [ "$waited" -ge $((START_TIMEOUT * 5)) ]; then
			say "broker did not answer within ${START_TIMEOUT}s"
			stop
			exit 1
		fi
		# Polling for readiness; each kcat -L itself waits up to 2 s.
		sleep 0.2
		waited=$((waited + 1))
	done
	say "broker $(cat "$STATE/bootstrap") up (pid $(cat "$STATE/pid"), state $STATE)"
}

stop() {
	pid_alive || { rm -f "$STATE/pid"; return 0; }
	pid=$(cat "$STATE/pid")
	kill "$pid"
	n=0
	while kill -0 "$pid" 2>/dev/null; do
		n=$((n + 1))
		if [ $n -ge 300 ]; then # 30 s for a controlled shutdown
			say "broker $pid did not stop; killing it"
			kill -9 "$pid" 2>/dev/null || true
		fi
		sleep 0.1
	done
	rm -f "$STATE/pid"
}

case ${1:-} in
fetch) fetch ;;
start) start ;;
stop) stop ;;
status) pid_alive && answers ;;
env) echo "NW_KAFKA_BROKERS=$(cat "$STATE/bootstrap")" ;;
destroy)
	stop
	rm -rf "$STATE"
	;;
*)
	echo "usage: $0 fetch|start|stop|status|env|destroy" >&2
	exit 2
	;;
esac
