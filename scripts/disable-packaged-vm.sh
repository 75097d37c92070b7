#!/bin/sh
# Debian's victoria-metrics package enables and starts its own service on a box with systemd:
# :8428 on every interface, unauthenticated (delete and admin APIs included), the port edgewatch
# gives its own VictoriaMetrics. Stop, disable and mask it, so it stays off across reboots and
# package upgrades, and say so. Does nothing where systemd is not running (containers, CI).
set -eu
[ -d /run/systemd/system ] || exit 0
command -v systemctl >/dev/null 2>&1 || exit 0
state="$(systemctl is-enabled victoria-metrics.service 2>/dev/null || true)"
case "$state" in
  "" | masked) exit 0 ;;
esac
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
echo "edgewatch: stopping, disabling and masking Debian's victoria-metrics.service (was $state; it listens on :8428 on every interface without authentication; edgewatch runs its own VictoriaMetrics on loopback)" >&2
$sudo systemctl disable --now victoria-metrics.service >/dev/null 2>&1 || true
$sudo systemctl mask victoria-metrics.service >&2
