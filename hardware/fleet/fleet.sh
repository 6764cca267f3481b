#!/usr/bin/env bash
# make fleet: a site of three boxes on the simulated board (h1, h2, h3) and a Mosquitto broker of its own on a free
# loopback port, as a field engineer would see a fleet. Prints each box's page and the broker; Ctrl+C (or SIGTERM)
# stops everything. Each box keeps its files and token under var/fleet/BOX.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${VIRTCAPTURE_BIN:-$PWD/build/virtcapture}
out=$PWD/var/fleet
mkdir -p "$out"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" > "$out/mosquitto.conf"
mosquitto -c "$out/mosquitto.conf" > "$out/mosquitto.log" 2>&1 &
pids=($!)
trap 'kill -TERM "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true' EXIT INT TERM
sleep 0.5
token=$out/token
for box in h1 h2 h3; do
  url=http://127.0.0.1:$(free_port)
  mkdir -p "$out/$box"
  VIRTCAPTURE_CONFIG_DIR=$PWD/hardware/sim Capture__Backend=Synthetic Storage__Directory="$out/$box/captures" \
    Management__Urls="$url" Management__TokenFile="$token" Management__ApiSettingsFile="$out/$box/api-settings.json" \
    Fleet__Broker="mqtt://127.0.0.1:$port" Fleet__Site=demo Fleet__Box="$box" "$BIN" run > "$out/$box/log" 2>&1 &
  pids+=($!)
  echo "$box: $url (log var/fleet/$box/log)"
  # The boxes share one API token, as a fleet's boxes do for `fleet packets`: the first makes it.
  while [ ! -s "$token" ]; do sleep 0.2; done
done
echo "broker: mqtt://127.0.0.1:$port, site demo; token: $(cat "$token")"
sleep 3
"$BIN" fleet boxes --broker "mqtt://127.0.0.1:$port" --site demo
echo "try: $BIN fleet follow 00:50:56:9a:10:02 --broker mqtt://127.0.0.1:$port --site demo"
echo "     mosquitto_sub -p $port -t 'virtcapture/#' -v"
wait
