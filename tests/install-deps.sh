#!/usr/bin/env bash
# Installs the Debian 12 packages newswired builds, runs and tests with.
# Safe to run twice: it only calls apt-get when something is missing.
set -euo pipefail

pkgs=(
  build-essential cmake ninja-build pkg-config git
  libevent-dev librdkafka-dev libjansson-dev libinih-dev libsystemd-dev
  libcurl4-openssl-dev libxml2-dev libutf8proc-dev
  libcmocka-dev clang clang-format valgrind systemd man-db curl util-linux
  # clang alone (without recommends) lacks the sanitizer and libFuzzer
  # runtimes the fuzz build links.
  libclang-rt-14-dev
  # The Debian package test: cpack -G DEB computes Depends with
  # dpkg-shlibdeps, then lintian checks the package.
  dpkg-dev file lintian
  kcat python3 python3-confluent-kafka python3-jsonschema python3-rfc3987
  prometheus chromium chromium-driver python3-selenium
)
# The Kafka integration tests fetch the broker with Maven and run it on Java 17.
if [ "${NW_NO_KAFKA_BROKER:-0}" != 1 ]; then
  pkgs+=(maven)
  command -v java >/dev/null 2>&1 || pkgs+=(openjdk-17-jre-headless)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
    missing+=("$p")
done
# Maven may come from elsewhere than Debian (e.g. a preinstalled SDK).
if [[ " ${missing[*]} " == *" maven "* ]] && command -v mvn >/dev/null 2>&1; then
  missing=("${missing[@]/maven/}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
# Only promtool is wanted from the prometheus package, not its server. Its
# postinst starts the server: through invoke-rc.d and /etc/init.d in a
# container without systemd, through systemctl on a machine with it. Both ask
# policy-rc.d first, so one that says "no" (101, as Docker images ship)
# stands while installing; afterwards the unit is disabled for the next boot.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [[ " ${missing[*]} " == *" prometheus "* ]] && [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod 755 "$policy"
  own_policy=1
fi
rc=0
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || rc=$?
[ "$own_policy" = 1 ] && $sudo rm -f "$policy"
[ "$rc" -eq 0 ] || exit "$rc"
if [[ " ${missing[*]} " == *" prometheus "* ]]; then
  if [ -d /run/systemd/system ]; then
    $sudo systemctl disable --now prometheus.service >/dev/null 2>&1 || true
  elif [ -x /etc/init.d/prometheus ]; then
    $sudo update-rc.d prometheus disable >/dev/null 2>&1 || true
  fi
fi
