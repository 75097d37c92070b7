#!/bin/sh
# Installs edgewatch as a systemd service on a box without a clone, after
#   npm install -g ./edgewatch-<version>.tgz      (or: npm install -g edgewatch)
# Creates the system user and /var/lib/edgewatch, installs the unit, and stops, disables and
# masks the victoria-metrics service Debian's package starts (it listens on :8428 on every
# interface without authentication, and takes edgewatch's port). Idempotent. As root:
#   sh "$(npm root -g)/edgewatch/deploy/systemd/install.sh"
#   sh "$(npm root -g)/edgewatch/deploy/systemd/install.sh" --uninstall
# Uninstall removes the unit, its drop-ins (systemctl edit, systemctl set-property) and the user;
# it keeps /var/lib/edgewatch, /etc/default/edgewatch (the operator's) and the mask on Debian's
# victoria-metrics.service (unmasking would bring back an open database on :8428).
set -eu
here="$(dirname "$(readlink -f "$0")")"
unit=/etc/systemd/system/edgewatch.service
data=/var/lib/edgewatch

if [ "$(id -u)" -ne 0 ]; then
  echo "edgewatch install: run as root" >&2
  exit 1
fi

if [ "${1:-}" = "--uninstall" ]; then
  systemctl disable --now edgewatch.service 2>/dev/null || true
  rm -f "$unit"
  rm -rf "$unit.d" /etc/systemd/system.control/edgewatch.service.d /run/systemd/system.control/edgewatch.service.d
  systemctl daemon-reload
  systemctl reset-failed edgewatch.service 2>/dev/null || true
  if id edgewatch >/dev/null 2>&1; then userdel edgewatch; fi
  echo "edgewatch uninstalled; data kept in $data (remove it by hand)" >&2
  exit 0
fi

command -v edgewatch >/dev/null 2>&1 || {
  echo "edgewatch install: edgewatch is not on PATH: npm install -g the package first" >&2
  exit 1
}
if ! command -v victoria-metrics >/dev/null 2>&1 || ! command -v setpriv >/dev/null 2>&1; then
  echo "edgewatch install: installing victoria-metrics util-linux" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends victoria-metrics util-linux >&2
fi
sh "$here/../../scripts/disable-packaged-vm.sh"

if ! id edgewatch >/dev/null 2>&1; then
  useradd --system --home-dir "$data" --no-create-home --shell /usr/sbin/nologin edgewatch
fi
install -d -o edgewatch -g edgewatch -m 0750 "$data"
install -m 0644 "$here/edgewatch.service" "$unit"
systemctl daemon-reload
systemctl enable --now edgewatch.service
echo "edgewatch installed: systemctl status edgewatch; data in $data" >&2
