#!/bin/sh
# Installs what edgewatch needs on Debian or Ubuntu, then builds it. Idempotent: a second run
# only checks. Used by `npm run up` (runtime packages) and `npm test` (with --test: the Debian
# packages the tests use too).
#   runtime: victoria-metrics (victoria-metrics, vmalert, vmagent), util-linux (setpriv)
#   tests:   prometheus (promtool), chromium (dashboard tests), wrk, hyperfine (benchmarks),
#            docker.io, docker-compose, debootstrap, systemd, shellcheck (deployment tests)
set -eu
cd "$(dirname "$0")/.."

packages="victoria-metrics util-linux"
if [ "${1:-}" = "--test" ]; then
  packages="$packages prometheus chromium wrk hyperfine docker.io docker-compose debootstrap systemd shellcheck"
fi

missing=""
for pkg in $packages; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    sudo=""
  elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
  else
    echo "setup: missing Debian packages:$missing; run as root or install them with apt-get" >&2
    exit 1
  fi
  echo "setup: installing$missing" >&2
  $sudo apt-get update -qq
  # shellcheck disable=SC2086 # $missing is a list of words
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >&2
fi

# The packaged VictoriaMetrics service would hold :8428 (and serve it to the network).
sh scripts/disable-packaged-vm.sh

# npm ci only when the lockfile changed since the last install.
# shellcheck disable=SC3013 # -nt: dash and bash have it
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >&2
fi
npm run --silent build >&2

# The deployment tests run real containers: with --test, as root, a docker daemon is started in
# the background when none answers (machines without systemd, such as CI), and the Debian base
# image is made once (debootstrap, ~40 s; cached after). Without root they skip, saying why.
if [ "${1:-}" = "--test" ] && [ "$(id -u)" -eq 0 ] && command -v dockerd >/dev/null 2>&1; then
  if ! docker info >/dev/null 2>&1; then
    echo "setup: starting dockerd (log: /tmp/dockerd.log)" >&2
    nohup dockerd >/tmp/dockerd.log 2>&1 &
    i=0
    until docker info >/dev/null 2>&1; do
      i=$((i + 1))
      [ "$i" -le 60 ] || { tail -20 /tmp/dockerd.log >&2; exit 1; }
      sleep 1
    done
  fi
  sh scripts/docker-base.sh bookworm >/dev/null
fi
