#!/usr/bin/env bash
# make bench-fleet: BOXES (500) simulated boxes, the box's own MQTT client code, publish synthetic events to one
# Mosquitto on this machine at 1 and then 10 events per box per second; prints each run's event latency (median,
# p99, from the event's timestamp to its arrival at a subscriber) and the broker's CPU during it. A benchmark: it
# asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
BOXES=${BOXES:-500}
SECONDS_EACH=${SECONDS_EACH:-20}
VIRTCAPTURE_BIN=${VIRTCAPTURE_BIN:-$PWD/build/virtcapture}
out=$PWD/var/bench-fleet
rm -rf "$out"; mkdir -p "$out"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\n' "$port" > "$out/mosquitto.conf"
ulimit -n 65536 2>/dev/null || true
mosquitto -c "$out/mosquitto.conf" > "$out/mosquitto.log" 2>&1 &
broker=$!
trap 'kill -TERM $broker 2>/dev/null || true' EXIT
sleep 0.5
clk=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$broker/stat"; }
echo "$BOXES simulated boxes on one Mosquitto ($(mosquitto -h 2>/dev/null | head -1 | awk '{print $3}')), QoS 1 events, $SECONDS_EACH s each rate, $(nproc) cores"
for rate in 1 10; do
  before=$(cpu); start=$(date +%s.%N)
  result=$(VIRTCAPTURE_CONFIG_DIR=$out "$VIRTCAPTURE_BIN" fleet load --broker "mqtt://127.0.0.1:$port" --site bench --boxes "$BOXES" --rate "$rate" --seconds "$SECONDS_EACH")
  after=$(cpu); end=$(date +%s.%N)
  echo "$result; broker CPU $(awk -v t=$((after - before)) -v c="$clk" -v s="$start" -v e="$end" 'BEGIN { printf "%.1f%% of one core (%.1f s in %.1f s, connecting included)", 100 * t / c / (e - s), t / c, e - s }')"
done
