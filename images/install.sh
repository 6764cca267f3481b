#!/usr/bin/env bash
# Installs a VirtCapture bundle into DESTDIR (a staging root) or, with DESTDIR unset, onto the board itself.
# An upgrade replaces the application and the system files, and keeps the configuration, the token and the captures.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=${DESTDIR:-}
on_board=$([ -z "$root" ] && echo 1 || echo 0)

install -d -m 0755 "$root/opt/virtcapture" "$root/etc/systemd/system" "$root/etc/systemd/network" "$root/etc/udev/rules.d" "$root/etc/sysctl.d"
install -d -m 0750 "$root/etc/virtcapture" "$root/var/lib/virtcapture"
install -d -m 0750 "$root/var/lib/virtcapture/captures"
# The application: replaced whole, atomically enough for a stopped service.
rm -rf "$root/opt/virtcapture.new"
cp -a "$here/app" "$root/opt/virtcapture.new"
rm -rf "$root/opt/virtcapture.old"
[ -d "$root/opt/virtcapture" ] && mv "$root/opt/virtcapture" "$root/opt/virtcapture.old"
mv "$root/opt/virtcapture.new" "$root/opt/virtcapture"
rm -rf "$root/opt/virtcapture.old"
install -m 0644 "$here/systemd/"* "$root/etc/systemd/system/"
install -m 0644 "$here/network/"* "$root/etc/systemd/network/"
install -m 0644 "$here/udev/"* "$root/etc/udev/rules.d/"
install -m 0644 "$here/sysctl/"* "$root/etc/sysctl.d/"
# Configuration: only when there is none, so an upgrade keeps what the engineer set.
if [ ! -e "$root/etc/virtcapture/appsettings.json" ]; then
  install -m 0640 "$here/config/appsettings.json" "$root/etc/virtcapture/appsettings.json"
fi
chmod 0640 "$root/etc/virtcapture/appsettings.json"
[ -e "$root/etc/virtcapture/token" ] && chmod 0600 "$root/etc/virtcapture/token"

if [ "$on_board" = 1 ]; then
  getent group virtcapture >/dev/null || groupadd --system virtcapture
  getent passwd virtcapture >/dev/null || useradd --system --gid virtcapture --home-dir /var/lib/virtcapture --shell /usr/sbin/nologin virtcapture
  chown -R virtcapture:virtcapture /var/lib/virtcapture /etc/virtcapture
  systemctl daemon-reload
  systemctl enable systemd-networkd var-lib-virtcapture-captures.mount virtcapture.service
  sysctl --system >/dev/null
  udevadm control --reload
  systemctl restart systemd-networkd
  systemctl restart virtcapture.service
fi
echo "VirtCapture $(cat "$here/VERSION") installed into ${root:-/}"
