#!/usr/bin/env bash
# Cold start on the simulated board, RUNS times: from exec to "Capture started" and to the first answer of /health,
# the CPU the process had used by then and its resident memory; then, over IDLE_SECONDS, what the started box costs
# while its port is quiet (one frame a second): context switches and CPU time a second, summed over its threads
# (/proc/PID/task/*/status and schedstat). It starts the box as it ships (make publish-host, the
# Native AOT build) with the service's runtime settings; VIRTCAPTURE_BIN=... starts another.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-5}
IDLE_SECONDS=${IDLE_SECONDS:-3}
VIRTCAPTURE_BIN=${VIRTCAPTURE_BIN:-$PWD/build/publish/linux-x64/virtcapture}
read -r -a box_env <<<"$(bash images/runtime-env.sh | tr '\n' ' ')"
dir=var/bench-start
mkdir -p "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
tick=$(getconf CLK_TCK)
echo "virtcapture: $VIRTCAPTURE_BIN"
printf '%-6s %18s %12s %14s %10s %14s %14s\n' run "capture started s" "/health s" "CPU ms by then" "RSS MB" "idle switch/s" "idle CPU ms/s"
# Context switches and on-CPU nanoseconds of all the process's threads.
threads() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^(non)?voluntary_ctxt_switches/ {n += $2} END {print n}'; }
oncpu() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{n += $1} END {printf "%d\n", n}'; }
for i in $(seq 1 "$RUNS"); do
  rm -rf "$dir/cap"
  start=$(date +%s.%N)
  env "${box_env[@]}" VIRTCAPTURE_CONFIG_DIR=hardware/sim Capture__Backend=Synthetic Capture__SyntheticRate=1 Storage__Directory="$dir/cap" Management__Urls="http://127.0.0.1:$port" \
    Management__TokenFile="$dir/token" Management__ApiSettingsFile="$dir/api-settings.json" "$VIRTCAPTURE_BIN" run >"$dir/log" 2>&1 &
  pid=$!
  until grep -q "Capture started" "$dir/log" 2>/dev/null; do sleep 0.005; done
  captured=$(echo "$(date +%s.%N) - $start" | bc -l)
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1; do sleep 0.005; done
  health=$(echo "$(date +%s.%N) - $start" | bc -l)
  cpu=$(awk -v t="$tick" '{print int(($14 + $15) * 1000 / t)}' "/proc/$pid/stat")
  rss=$(awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status")
  sleep 1
  s0=$(threads $pid); c0=$(oncpu $pid)
  sleep "$IDLE_SECONDS"
  s1=$(threads $pid); c1=$(oncpu $pid)
  kill -TERM $pid; wait $pid 2>/dev/null || true
  printf '%-6s %18.3f %12.3f %14s %10s %14.1f %14.2f\n' "$i" "$captured" "$health" "$cpu" "$rss" \
    "$(echo "($s1 - $s0) / $IDLE_SECONDS" | bc -l)" "$(echo "($c1 - $c0) / 1000000 / $IDLE_SECONDS" | bc -l)"
done
