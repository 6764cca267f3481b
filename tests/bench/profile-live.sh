#!/usr/bin/env bash
# make profile-live: where the firmware's CPU goes during bench-live's flood. perf records the capture process (or
# tcpdump, WHAT=tcpdump) while trafgen sends FRAMES 64-byte frames into the lab's a0; prints the share of each thread,
# library and function, and each thread's context switches. make profile-live profiles the box's AOT build with its
# symbols (make publish-prof). Given the JIT build (VIRTCAPTURE_BIN=build/virtcapture), the runtime writes
# /tmp/perf-PID.map so perf can name JIT-compiled methods, and ReadyToRun code is switched off (DOTNET_ReadyToRun=0)
# so that every method has a name.
set -euo pipefail
cd "$(dirname "$0")/../.."
WHAT=${WHAT:-virtcapture}
FRAMES=${FRAMES:-3000000}
VIRTCAPTURE_BIN=${VIRTCAPTURE_BIN:-$PWD/build/virtcapture}
command -v perf >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf >/dev/null; } \
  || { echo "profile-live: perf is missing and could not be installed (apt-get install linux-perf, as root)" >&2; exit 1; }
lab=vcprofile
out=$PWD/var/profile-live
lab_sh=hardware/lab/lab.sh
# The capture goes to a tmpfs, as in bench-live (capture-fs.sh; CAPTURE_FS=disk: under var/).
. tests/bench/capture-fs.sh
capture_fs_reset "$out" "$out/cap" vcprofile-captures
mkdir -p "$out/config"
bash "$lab_sh" down "$lab" >/dev/null 2>&1 || true
bash "$lab_sh" up "$lab" >/dev/null
trap 'bash "$lab_sh" down "$lab" >/dev/null 2>&1 || true; capture_fs_release "$out/cap"' EXIT
ip -n "$lab-box" link set a0 up
cat > "$out/config/appsettings.json" <<JSON
{ "Capture": { "Mode": "Monitor", "Ports": [ { "Name": "A", "Interface": "a0" } ], "RingMB": 64, "BufferMB": 16 },
  "Storage": { "FileSizeMB": 1000, "MinFreePercent": 0, "FsyncIntervalMs": 1000 } }
JSON
mapfile -t box_env < <(bash images/runtime-env.sh)
if [ "$WHAT" = tcpdump ]; then
  ready="listening on"
  ip netns exec "$lab-box" bash -c 'echo $$ > "$0"; exec "$@"' "$out/pid" tcpdump -i a0 -n -B 65536 -w "$out/cap/out.pcap" >"$out/log" 2>&1 &
else
  ready="Capture started"
  ip netns exec "$lab-box" bash -c 'echo $$ > "$0"; exec "$@"' "$out/pid" env "${box_env[@]}" DOTNET_PerfMapEnabled=1 \
    DOTNET_EnableWriteXorExecute=0 DOTNET_ReadyToRun=0 VIRTCAPTURE_CONFIG_DIR="$out/config" Management__TokenFile="$out/token" \
    Management__ApiSettingsFile="$out/api-settings.json" Capture__Backend=AfPacket Storage__Directory="$out/cap" "$VIRTCAPTURE_BIN" run >"$out/log" 2>&1 &
fi
until grep -q "$ready" "$out/log" 2>/dev/null; do sleep 0.2; done
sleep 1
pid=$(cat "$out/pid")
ticks() { awk '{print $14, $15}' "/proc/$pid/stat"; }
# Context switches of each named thread (the runtime's pool threads share names and are left out): every wake-up
# costs CPU of its own, the sleeper's and the waker's (about 50 µs accounted for a bare 8 ms sleep on the 2-vCPU VM).
switches() { for t in /proc/$pid/task/*; do printf '%s %s\n' "$(cat "$t/comm" | tr ' ' _)" "$(awk '/^voluntary_ctxt/ {v = $2} /nonvoluntary_ctxt/ {n = $2} END {print v, n}' "$t/status")"; done \
  | awk '{count[$1]++; line[$1] = $0} END {for (n in count) if (count[n] == 1) print line[n]}' | sort; }
read -r u0 s0 < <(ticks)
switches > "$out/switches0"
perf record -F 2999 -g -p "$pid" -o "$out/perf.data" >"$out/perf.log" 2>&1 &
perf_pid=$!
sleep 1
ip netns exec "$lab-host" trafgen --dev host0 --conf hardware/lab/traffic/flood64.cfg --num "$FRAMES" --cpus 1 >/dev/null 2>&1
sleep 2
kill -TERM "$perf_pid"; wait "$perf_pid" || true
read -r u1 s1 < <(ticks)
switches > "$out/switches1"
kill -TERM "$pid"
echo "$WHAT during the flood of $FRAMES frames (perf attached): user $((u1 - u0)) ticks, system $((s1 - s0)) ticks ($(getconf CLK_TCK)/s)"
report() { perf report -i "$out/perf.data" --no-children --stdio -g none "$@" 2>/dev/null | grep '%' | grep -v '^#'; }
echo "-- context switches during the flood, by thread"
join "$out/switches0" "$out/switches1" | awk '$4 + $5 > $2 + $3 {printf "    %-16s %6d waits %6d preempted\n", $1, $4 - $2, $5 - $3}'
echo "-- by thread"; report --sort comm | head -8
echo "-- by library"; report --sort dso | head -10
echo "-- by function"; report --sort sym | head -30 | cut -c1-160
