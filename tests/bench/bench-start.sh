#!/usr/bin/env bash
# Cold start on the simulated board, RUNS times: from exec to "Capture started" and to the first answer of /health,
# the CPU the process had used by then and its resident memory. It starts the box as it ships (make publish-host, the
# Native AOT build) with the service's runtime settings; VIRTCAPTURE_BIN=... starts another.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-5}
VIRTCAPTURE_BIN=${VIRTCAPTURE_BIN:-$PWD/build/publish/linux-x64/virtcapture}
read -r -a box_env <<<"$(bash images/runtime-env.sh | tr '\n' ' ')"
dir=var/bench-start
mkdir -p "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
tick=$(getconf CLK_TCK)
echo "virtcapture: $VIRTCAPTURE_BIN"
printf '%-6s %18s %12s %14s %10s\n' run "capture started s" "/health s" "CPU ms by then" "RSS MB"
for i in $(seq 1 "$RUNS"); do
  rm -rf "$dir/cap"
  start=$(date +%s.%N)
  env "${box_env[@]}" VIRTCAPTURE_CONFIG_DIR=hardware/sim Capture__Backend=Synthetic Storage__Directory="$dir/cap" Management__Urls="http://127.0.0.1:$port" \
    Management__TokenFile="$dir/token" Management__ApiSettingsFile="$dir/api-settings.json" "$VIRTCAPTURE_BIN" run >"$dir/log" 2>&1 &
  pid=$!
  until grep -q "Capture started" "$dir/log" 2>/dev/null; do sleep 0.005; done
  captured=$(echo "$(date +%s.%N) - $start" | bc -l)
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1; do sleep 0.005; done
  health=$(echo "$(date +%s.%N) - $start" | bc -l)
  cpu=$(awk -v t="$tick" '{print int(($14 + $15) * 1000 / t)}' "/proc/$pid/stat")
  rss=$(awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status")
  kill -TERM $pid; wait $pid 2>/dev/null || true
  printf '%-6s %18.3f %12.3f %14s %10s\n' "$i" "$captured" "$health" "$cpu" "$rss"
done
