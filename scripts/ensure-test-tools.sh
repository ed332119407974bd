#!/usr/bin/env bash
# Installs the programs the tests run for real when this machine lacks them: nats-server
# (tests start their own on a free port), kubectl (kube-sim's conformance tests drive it)
# and Chromium (the console's tests drive it through playwright-core; never downloaded). Debian/Ubuntu only; elsewhere it says what to install and stops.
set -euo pipefail

missing=()
if ! command -v nats-server >/dev/null && [ ! -x /usr/sbin/nats-server ]; then missing+=(nats-server); fi
if ! command -v kubectl >/dev/null; then missing+=(kubernetes-client); fi
if [ "${OPSLOOP_NO_BROWSER:-}" != 1 ] && [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi
[ ${#missing[@]} -eq 0 ] && exit 0

echo "tests need: ${missing[*]} (not found); installing with apt-get" >&2
if ! command -v apt-get >/dev/null; then
  echo "no apt-get here: install ${missing[*]} yourself (nats-server 2.9+, kubectl 1.20+), then rerun" >&2
  exit 1
fi
run() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
run apt-get update -qq
run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
