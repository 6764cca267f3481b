#!/usr/bin/env bash
# The box's wiring out of network namespaces, the reference board's stand-in:
#
#   NAME-host: host0 (192.0.2.1) ── veth ── a0 │ NAME-box │ b0 ── veth ── sw0 (192.0.2.2) :NAME-switch
#
# The capture ports a0 and b0 live in NAME-box with no address; the firmware bridges them (Inline) or just listens
# (Monitor). Addresses are TEST-NET-1 inside our own namespaces only.
#
#   lab.sh up [NAME]                build the lab (idempotent)
#   lab.sh down [NAME]              remove it
#   lab.sh run [NAME] [--Key=value] run the firmware in the box namespace on a0/b0 (Ctrl+C stops it)
#   lab.sh traffic [NAME] [SECONDS] VM-like traffic across the box: pings, VLAN-tagged UDP from VMware, Hyper-V and
#                                   KVM MACs, RARP and gratuitous ARP announcements
#   lab.sh flood [NAME] FRAMES      trafgen floods a0 with 64-byte frames at full speed
#   lab.sh exec [NAME] ROLE CMD...  run a command in NAME-ROLE (host, box or switch)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cmd=${1:-help}; shift || true
name=${1:-vclab}; [ $# -gt 0 ] && shift

need_root() {
  if [ "$(id -u)" != 0 ]; then
    echo "lab.sh: the lab needs root (network namespaces and veth pairs): run it with sudo" >&2
    exit 1
  fi
}

up() {
  need_root
  for role in host box switch; do
    ip netns list | grep -qw "$name-$role" || ip netns add "$name-$role"
    ip -n "$name-$role" link set lo up
  done
  if ! ip -n "$name-box" link show a0 >/dev/null 2>&1; then
    ip link add host0 netns "$name-host" type veth peer name a0 netns "$name-box"
  fi
  if ! ip -n "$name-box" link show b0 >/dev/null 2>&1; then
    ip link add sw0 netns "$name-switch" type veth peer name b0 netns "$name-box"
  fi
  ip -n "$name-host" addr replace 192.0.2.1/24 dev host0
  ip -n "$name-switch" addr replace 192.0.2.2/24 dev sw0
  ip -n "$name-host" link set host0 up
  ip -n "$name-switch" link set sw0 up
  # The capture ports start down and silent; the firmware brings them up.
  for port in a0 b0; do
    ip netns exec "$name-box" sh -c "echo 1 > /proc/sys/net/ipv6/conf/$port/disable_ipv6"
  done
  echo "lab $name is up: $name-host/host0 (192.0.2.1) - a0 [$name-box] b0 - $name-switch/sw0 (192.0.2.2)"
}

down() {
  need_root
  for role in host box switch; do
    ip netns del "$name-$role" 2>/dev/null || true
  done
}

run() {
  need_root
  up >/dev/null
  mkdir -p "$repo/var/lab/$name/captures"
  exec ip netns exec "$name-box" env \
    VIRTCAPTURE_CONFIG_DIR="$here" \
    Capture__Backend="${BACKEND:-AfPacket}" \
    Storage__Directory="$repo/var/lab/$name/captures" \
    Management__TokenFile="$repo/var/lab/$name/token" \
    Management__ApiSettingsFile="$repo/var/lab/$name/api-settings.json" \
    "$repo/build/virtcapture" run "$@"
}

traffic() {
  need_root
  local seconds=${1:-30}
  ip netns exec "$name-host" ping -q -i 0.2 -w "$seconds" 192.0.2.2 >/dev/null 2>&1 &
  local end=$((SECONDS + seconds))
  while [ $SECONDS -lt $end ]; do
    ip netns exec "$name-host" trafgen --dev host0 --conf "$here/traffic/vms.cfg" --num 50 --gap 20ms --cpus 1 >/dev/null 2>&1 || true
    ip netns exec "$name-host" trafgen --dev host0 --conf "$here/traffic/announce.cfg" --num 2 --gap 10ms --cpus 1 >/dev/null 2>&1 || true
    ip netns exec "$name-switch" trafgen --dev sw0 --conf "$here/traffic/return.cfg" --num 20 --gap 20ms --cpus 1 >/dev/null 2>&1 || true
  done
  wait
}

flood() {
  need_root
  local frames=${1:?frames}
  ip netns exec "$name-host" trafgen --dev host0 --conf "$here/traffic/flood64.cfg" --num "$frames" --cpus 1 2>&1 | tr '\r' '\n'
}

case "$cmd" in
  up) up ;;
  down) down ;;
  run) run "$@" ;;
  traffic) traffic "$@" ;;
  flood) flood "$@" ;;
  exec) role=$1; shift; need_root; exec ip netns exec "$name-$role" "$@" ;;
  *) sed -n '2,17p' "$0"; exit 2 ;;
esac
