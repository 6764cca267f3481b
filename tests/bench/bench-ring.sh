#!/usr/bin/env bash
# make bench-ring: how the management API scales with the ring. The firmware itself records a ring of FILES files of
# FILE_MB each (several GB by default) from the bench traffic, replayed at full speed, and is stopped. Then, twice:
# empty the page cache (as a boot does; root), start the firmware on the ring without capturing, and print the time to
# /health, the first GET /api/captures (and a second one), and the time to the first byte of a one-second /api/packets
# window in the middle of the ring. First as the box left it (its catalog index knows every file it closed), then
# with the index deleted: files put there by hand, or a box whose index was lost, cost one walk of every frame.
# make bench-ring measures the box as it ships (make publish-host, Native AOT); run directly, the build's JIT binary,
# whose first request to each endpoint also pays for compiling it (the /api/packets window: 109-117 ms against 39-57
# for the shipped build, cold cache both).
set -euo pipefail
cd "$(dirname "$0")/../.."
FILES=${FILES:-60}
FILE_MB=${FILE_MB:-50}
VIRTCAPTURE_BIN=${VIRTCAPTURE_BIN:-./build/virtcapture}
dir=var/bench-ring
ring="$dir/box-ring-$FILES-$FILE_MB"
frames=$(( FILES * FILE_MB * 1000000 / 400 ))
mkdir -p "$dir"
pid=
trap '[ -z "$pid" ] || { kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true; }' EXIT
free_url() { echo "http://127.0.0.1:$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"; }
box() { # log url env... : the firmware on the ring, in the background
  local log=$1 url=$2; shift 2
  env VIRTCAPTURE_CONFIG_DIR="$dir/config" Storage__Directory="$ring" Storage__FileSizeMB="$FILE_MB" Storage__MaxFiles="$FILES" \
    Storage__MinFreePercent=0 Management__Urls="$url" Management__TokenFile="$dir/token" \
    Management__ApiSettingsFile="$dir/api-settings.json" "$@" "$VIRTCAPTURE_BIN" run >"$log" 2>&1 &
  pid=$!
}
if [ ! -d "$ring" ] || [ "$(ls "$ring" | grep -c "\.pcapng$")" -lt $(( FILES - 1 )) ]; then
  rm -rf "$ring"; mkdir -p "$ring"
  echo "recording $ring: $FILES files of $FILE_MB MB ($frames frames of bench traffic, replayed by the firmware)"
  dotnet build/bench/VirtCapture.Bench.dll generate "$dir/traffic.pcap" "$frames" >/dev/null
  box "$dir/recording.log" "$(free_url)" Capture__Backend=Replay Capture__ReplayFile="$dir/traffic.pcap"
  # The replay has ended when the files closed hold every frame.
  until [ "$(awk '/Closed .* frames\)/ { gsub(/[(]/, "", $(NF-1)); n += $(NF-1) } END { print n + 0 }' "$dir/recording.log")" -ge "$frames" ]; do
    kill -0 $pid 2>/dev/null || { echo "bench-ring: the firmware stopped while recording:"; tail -5 "$dir/recording.log"; exit 1; }
    sleep 1
  done
  kill -TERM $pid; wait $pid || true; pid=
  rm -f "$dir/traffic.pcap"
fi
echo "firmware: $VIRTCAPTURE_BIN"
echo "ring: $(ls "$ring" | grep -c '\.pcapng$') files, $(du -sh "$ring" | cut -f1)"

measure() { # title
  local url; url=$(free_url)
  sync
  if [ "$(id -u)" = 0 ]; then echo 3 > /proc/sys/vm/drop_caches; cache="page cache emptied"; else cache="page cache NOT emptied (not root)"; fi
  local start; start=$(date +%s.%N)
  box "$dir/firmware.log" "$url" Capture__Backend=Synthetic Capture__StartOnBoot=false
  until curl -sf "$url/health" >/dev/null 2>&1; do sleep 0.01; done
  local health; health=$(echo "$(date +%s.%N) - $start" | bc -l)
  local auth=(-H "Authorization: Bearer $(cat "$dir/token")")
  local first second middle from to packets
  first=$(curl -s -o "$dir/captures.json" -w '%{time_total}' "${auth[@]}" "$url/api/captures")
  second=$(curl -s -o /dev/null -w '%{time_total}' "${auth[@]}" "$url/api/captures")
  middle=$(python3 -c 'import json,sys; f=json.load(open(sys.argv[1])); m=f[len(f)//2]; print(m["firstTimestamp"])' "$dir/captures.json")
  from=$(date -d "$middle" +%s.%N)
  to=$(echo "$from + 1" | bc -l)
  packets=$(curl -s -o /dev/null -w '%{time_starttransfer}' "${auth[@]}" "$url/api/packets?from=$from&to=$to")
  kill -TERM $pid; wait $pid || true; pid=
  printf '%s (%s)\n' "$1" "$cache"
  printf '  %-42s %8.3f s\n' "start to /health" "$health" "first GET /api/captures" "$first" "second GET /api/captures" "$second" "/api/packets, 1 s window, first byte" "$packets"
}
measure "the ring as the box left it"
rm -f "$ring/.catalog-index.json"
measure "the same ring without its index"
