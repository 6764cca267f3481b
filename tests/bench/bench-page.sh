#!/usr/bin/env bash
# A web page left open at the rack: two boxes on the simulated board with the same traffic, side by side for MINUTES;
# one has the page open (its live event stream, tests/web/soak-check.mjs), the other has no client. Prints each box's
# resident and anonymous memory every minute and the growth after the first minute, when the page and the runtime
# have warmed up. It starts the box as it ships (make publish-host); VIRTCAPTURE_BIN=... starts another.
set -euo pipefail
cd "$(dirname "$0")/../.."
MINUTES=${MINUTES:-10}
RATE=${RATE:-3000}
# The page's update interval; 50 ms packs ten minutes of one-second updates into thirty seconds.
INTERVAL_MS=${INTERVAL_MS:-1000}
VIRTCAPTURE_BIN=${VIRTCAPTURE_BIN:-$PWD/build/publish/linux-x64/virtcapture}
read -r -a box_env <<<"$(bash images/runtime-env.sh | tr '\n' ' ')"
out=$PWD/var/bench-page
rm -rf "$out"; mkdir -p "$out"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pids=()
trap 'kill -TERM "${pids[@]}" 2>/dev/null || true' EXIT
start_box() { # name port
  local dir=$out/$1
  mkdir -p "$dir"
  # A ring that turns over within the first minute (five 10-second files), so that its files are not what grows.
  env "${box_env[@]}" VIRTCAPTURE_CONFIG_DIR=hardware/sim Capture__SyntheticRate="$RATE" Storage__Directory="$dir/cap" \
    Storage__FileDurationSeconds=10 Storage__MaxFiles=5 \
    Management__Urls="http://127.0.0.1:$2" Management__TokenFile="$dir/token" Management__ApiSettingsFile="$dir/api-settings.json" \
    Management__LiveIntervalMs="$INTERVAL_MS" "$VIRTCAPTURE_BIN" run >"$dir/log" 2>&1 &
  pids+=($!)
  echo $! > "$dir/pid"
  until curl -sf "http://127.0.0.1:$2/health" >/dev/null 2>&1; do sleep 0.1; done
}
# Resident and anonymous memory, the managed heap's size and the full collections so far (the box's /metrics).
memory() {
  awk '/^VmRSS:/ {r = $2} /^RssAnon:/ {a = $2} END {printf "%7.1f %7.1f", r / 1024, a / 1024}' "/proc/$(cat "$out/$1/pid")/status"
  curl -sf -H "Authorization: Bearer $(cat "$out/$1/token")" "http://127.0.0.1:$2/metrics" \
    | awk '/^dotnet_total_memory_bytes / {h = $2} /^dotnet_collection_count_total\{generation="2"\}/ {g = $2} END {printf " %7.1f %5d", h / 1048576, g}'
}
page_port=$(free_port); start_box page "$page_port"
idle_port=$(free_port); start_box idle "$idle_port"
echo "virtcapture: $VIRTCAPTURE_BIN, $RATE frames/s on the simulated board, updates every $INTERVAL_MS ms, $MINUTES minutes; runtime settings: ${box_env[*]}"
node tests/web/soak-check.mjs "http://127.0.0.1:$page_port" "$(cat "$out/page/token")" $((MINUTES * 60)) > "$out/page/browser" &
browser=$!
printf '%-7s %-30s %-30s\n' "" "page open" "no page"
printf '%-7s %7s %7s %7s %5s %7s %7s %7s %5s\n' minute "RSS MB" anon heap gc2 "RSS MB" anon heap gc2
for minute in $(seq 0 "$MINUTES"); do
  [ "$minute" -eq 0 ] || sleep 60
  line="$(memory page "$page_port") $(memory idle "$idle_port")"
  printf '%-7s %s\n' "$minute" "$line" | tee -a "$out/table"
done
wait $browser || true
echo "browser: $(cat "$out/page/browser")"
awk 'NR == 2 { p = $2; pa = $3; ph = $4; i = $6; ia = $7; ih = $8 } END {
  printf "growth from minute 1 to %d: page open %+.1f MB RSS (%+.1f anonymous, %+.1f managed heap), no page %+.1f MB RSS (%+.1f anonymous, %+.1f managed heap)\n", $1, $2 - p, $3 - pa, $4 - ph, $6 - i, $7 - ia, $8 - ih }' "$out/table"
