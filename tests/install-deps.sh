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
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
