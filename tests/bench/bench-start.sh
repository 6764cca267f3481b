#!/usr/bin/env bash
# Cold start on the simulated board: from exec to "Capture started" and to the first answer of /health, RUNS times.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-5}
dir=var/bench-start
mkdir -p "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf '%-6s %18s %18s\n' run "capture started s" "/health s"
for i in $(seq 1 "$RUNS"); do
  rm -rf "$dir/cap"
  start=$(date +%s.%N)
  VIRTCAPTURE_CONFIG_DIR=hardware/sim Capture__Backend=Synthetic Storage__Directory="$dir/cap" Management__Urls="http://127.0.0.1:$port" \
    Management__TokenFile="$dir/token" Management__ApiSettingsFile="$dir/api-settings.json" ./build/virtcapture run >"$dir/log" 2>&1 &
  pid=$!
  until grep -q "Capture started" "$dir/log" 2>/dev/null; do sleep 0.005; done
  captured=$(echo "$(date +%s.%N) - $start" | bc -l)
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1; do sleep 0.005; done
  health=$(echo "$(date +%s.%N) - $start" | bc -l)
  kill -TERM $pid; wait $pid 2>/dev/null || true
  printf '%-6s %18.3f %18.3f\n' "$i" "$captured" "$health"
done
