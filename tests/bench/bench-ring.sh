#!/usr/bin/env bash
# make bench-ring: how the management API scales with the ring. Builds a ring of FILES files of FILE_MB each from the
# bench traffic (several GB by default), empties the page cache (as a boot does; root), starts the firmware on it
# without capturing, and prints: time to /health, the first GET /api/captures (and a second one), and the time to the
# first byte of a one-second /api/packets window in the middle of the ring.
set -euo pipefail
cd "$(dirname "$0")/../.."
FILES=${FILES:-60}
FILE_MB=${FILE_MB:-50}
dir=var/bench-ring
ring="$dir/ring-$FILES-$FILE_MB"
frames=$(( FILES * FILE_MB * 1000000 / 400 ))
mkdir -p "$dir"
if [ ! -d "$ring" ] || [ "$(ls "$ring" | grep -c "\.pcapng$")" -lt $(( FILES - 1 )) ]; then
  rm -rf "$ring"; mkdir -p "$ring"
  echo "building $ring: $FILES files of $FILE_MB MB ($frames frames of bench traffic)"
  dotnet build/bench/VirtCapture.Bench.dll generate "$dir/traffic.pcap" "$frames" >/dev/null
  ./build/virtcapture capture -r "$dir/traffic.pcap" -w "$ring/vc.pcapng" -b "filesize:$(( FILE_MB * 1000 ))" -b "files:$FILES"
  rm -f "$dir/traffic.pcap"
fi
echo "ring: $(ls "$ring" | grep -c '\.pcapng$') files, $(du -sh "$ring" | cut -f1)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
sync
if [ "$(id -u)" = 0 ]; then echo 3 > /proc/sys/vm/drop_caches; cache="page cache emptied"; else cache="page cache NOT emptied (not root)"; fi
start=$(date +%s.%N)
VIRTCAPTURE_CONFIG_DIR="$dir/config" Capture__Backend=Synthetic Capture__StartOnBoot=false Storage__Directory="$ring" \
  Management__Urls="$url" Management__TokenFile="$dir/token" Management__ApiSettingsFile="$dir/api-settings.json" \
  ./build/virtcapture run >"$dir/firmware.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
until curl -sf "$url/health" >/dev/null 2>&1; do sleep 0.01; done
health=$(echo "$(date +%s.%N) - $start" | bc -l)
auth=(-H "Authorization: Bearer $(cat "$dir/token")")
first=$(curl -s -o "$dir/captures.json" -w '%{time_total}' "${auth[@]}" "$url/api/captures")
second=$(curl -s -o /dev/null -w '%{time_total}' "${auth[@]}" "$url/api/captures")
middle=$(python3 -c 'import json,sys; f=json.load(open(sys.argv[1])); m=f[len(f)//2]; print(m["firstTimestamp"])' "$dir/captures.json")
from=$(date -d "$middle" +%s.%N)
to=$(echo "$from + 1" | bc -l)
packets=$(curl -s -o /dev/null -w '%{time_starttransfer}' "${auth[@]}" "$url/api/packets?from=$from&to=$to")
printf '%s\n' "$cache"
printf '%-44s %8.3f s\n' "start to /health" "$health" "first GET /api/captures" "$first" "second GET /api/captures" "$second" "/api/packets, 1 s window, first byte" "$packets"
