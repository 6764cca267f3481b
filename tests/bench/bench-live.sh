#!/usr/bin/env bash
# make bench-live: in the lab, trafgen floods port A with 64-byte frames at full speed; the firmware (each backend),
# tcpdump and dumpcap capture the same flood in turn. Prints frames sent and recorded, loss, CPU time of the
# capture process per 100k frames recorded, and peak RSS. A benchmark, not a test: it asserts nothing.
# FLOOD=erspan3: the flood is 64-byte frames mirrored in ERSPAN III to the collector's address (built by Scapy);
# virtcapture-collector records the mirrored frames, tcpdump and dumpcap the raw stream they came in.
# FLOOD=announce: the frames are VM announcements (see below).
set -euo pipefail
cd "$(dirname "$0")/../.."
FRAMES=${FRAMES:-3000000}
# The firmware measured: make bench-live passes the box as it ships (make publish-host: self-contained, trimmed, one
# file); run directly, the build's framework-dependent binary.
VIRTCAPTURE_BIN=${VIRTCAPTURE_BIN:-$PWD/build/virtcapture}
# BASELINE_BIN=another build of the box (a commit before a change): CAPTURES="virtcapture-afpacket virtcapture-baseline
# tcpdump" measures both in the same rounds, on the same floods, which this machine's drift between runs otherwise hides.
BASELINE_BIN=${BASELINE_BIN:-}
RING_MB=${RING_MB:-64}
lab=vcbench
out=$PWD/var/bench-live
lab_sh=hardware/lab/lab.sh
# The captures go to a tmpfs of their own (capture-fs.sh; CAPTURE_FS=disk writes under var/ instead).
. tests/bench/capture-fs.sh
capture_fs_reset "$out" "$out/files" vcbench-captures
mkdir -p "$out/config"
bash "$lab_sh" down "$lab" >/dev/null 2>&1 || true
bash "$lab_sh" up "$lab" >/dev/null
trap 'bash "$lab_sh" down "$lab" >/dev/null 2>&1 || true; capture_fs_release "$out/files"' EXIT
ip -n "$lab-box" link set a0 up
cat > "$out/config/appsettings.json" <<JSON
{ "Capture": { "Mode": "Monitor", "Ports": [ { "Name": "A", "Interface": "a0" } ], "RingMB": $RING_MB, "BufferMB": 16 },
  "Storage": { "FileSizeMB": 1000, "MinFreePercent": 0, "FsyncIntervalMs": 1000 } }
JSON
FLOOD=${FLOOD:-flood64}
flood_cfg=hardware/lab/traffic/flood64.cfg
# FLOOD=announce: a storm of VM announcements (RARP and gratuitous ARP in turn), each frame commented, at most ten
# events a second per VM.
[ "$FLOOD" != announce ] || flood_cfg=hardware/lab/traffic/announce.cfg
if [ "$FLOOD" = erspan3 ]; then
  flood_cfg=$out/erspan3.cfg
  mac=$(ip -n "$lab-box" -br link show a0 | awk '{print $3}')
  /usr/bin/python3 - "$flood_cfg" "$mac" <<'PY'
import sys
from scapy.all import Ether, IP, GRE, Raw
from scapy.contrib.erspan import ERSPAN_III
inner = Ether(src="00:50:56:9a:10:01", dst="00:50:56:9a:20:01") / IP(src="10.1.1.1", dst="10.1.1.2") / Raw(b"x" * 30)
outer = Ether(src="02:00:00:00:00:01", dst=sys.argv[2]) / IP(src="192.0.2.1", dst="192.0.2.10") / GRE(proto=0x22eb, seqnum_present=1) / ERSPAN_III(session_id=12, gra=1) / inner
open(sys.argv[1], "w").write("/* ERSPAN III session 12 from 192.0.2.1: a 64-byte frame mirrored (Scapy-built). */\n{ " + ", ".join("0x%02x" % b for b in bytes(outer)) + " }\n")
PY
fi
clk=$(getconf CLK_TCK)
# On-CPU time of every thread of a process, in ns (the scheduler's own sum; utime + stime come in 10 ms ticks, which
# at 3M frames is a step of 2 % of the result).
cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%d", s }'; }
rx() { ip netns exec "$lab-box" cat /sys/class/net/a0/statistics/rx_packets; }

measure() { # name ready-text output-glob command...
  local name=$1 ready=$2 glob=$3; shift 3
  local dir="$out/$name"; mkdir -p "$dir" "$out/files/$name"
  ip netns exec "$lab-box" bash -c 'echo $$ > "$0"; exec "$@"' "$dir/pid" "$@" >"$dir/log" 2>&1 &
  local waited=0
  until grep -q "$ready" "$dir/log" 2>/dev/null; do
    sleep 0.2; waited=$((waited + 1))
    [ $waited -lt 150 ] || { echo "$name did not start:"; cat "$dir/log"; return 1; }
  done
  sleep 0.5
  local pid before after
  pid=$(cat "$dir/pid")
  # CPU is counted from just before the flood, so start-up (the .NET runtime's JIT, tcpdump's setup) is left out.
  local start_ticks start_ns
  start_ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  start_ns=$(cpu_ns "$pid")
  before=$(rx)
  ip netns exec "$lab-host" trafgen --dev host0 --conf "$flood_cfg" --num "$FRAMES" --cpus 1 >/dev/null 2>&1
  sleep 2
  after=$(rx)
  local rss total_ticks flood_ns
  total_ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  flood_ns=$(( $(cpu_ns "$pid") - start_ns ))
  awk -v n="$name" -v s="$start_ticks" -v f="$flood_ns" '{print n ": utime " $14 " stime " $15 " (ticks before the flood " s "), " f " ns on CPU during the flood"}' "/proc/$pid/stat" > "$dir/cpu"
  rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  # Where the resident memory is, after the flood: the kernel's capture ring (mapped from the socket), files mapped
  # from disk (the runtime's and libraries' code: clean pages the kernel can drop and other processes share), the JIT's
  # double-mapped code, and anonymous memory (heaps, buffers, stacks).
  awk -v n="$name" '/^[0-9a-f]+-[0-9a-f]+ / { kind = $6 ~ /^socket:/ ? "ring" : $6 ~ /doublemapper/ ? "jit" : $6 ~ /^\// ? "files" : "anon" }
    /^Rss:/ { kb[kind] += $2 }
    END { printf "%-20s %8.1f %8.1f %8.1f %8.1f\n", n, kb["ring"] / 1024, kb["files"] / 1024, kb["jit"] / 1024, kb["anon"] / 1024 }' "/proc/$pid/smaps" >> "$out/memory"
  cp "/proc/$pid/smaps" "$dir/smaps"
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  local recorded=0 f
  for f in $glob; do
    [ -f "$f" ] || continue
    recorded=$((recorded + $(capinfos -c -M "$f" 2>/dev/null | awk -F': *' '/Number of packets/ {print $2}')))
  done
  rm -rf "${out:?}/files/$name"
  local sent=$((after - before))
  # Only the flood counts: the capture also holds whatever else crossed a0 (nothing, in Monitor mode).
  awk -v n="$name" -v s="$sent" -v r="$recorded" -v t="$flood_ns" -v w="$total_ticks" -v c="$clk" -v m="$rss" -v round="$run" 'BEGIN {
    loss = s > 0 ? 100 * (s - r) / s : 0; if (loss < 0) loss = 0
    cpu = r > 0 ? t / 1e6 / r * 100000 : 0
    whole = r > 0 ? (w / c) * 1000 / r * 100000 : 0
    printf "%-20s %10d %10d %8.2f %14.2f %14.1f %10.1f %6d\n", n, s, r, loss, cpu, whole, m / 1024, round }' >> "$out/table"
}

# The runtime's settings exactly as the box's service runs it (images/systemd/virtcapture.service).
mapfile -t box_env < <(bash images/runtime-env.sh)
export VIRTCAPTURE_CONFIG_DIR=$out/config Management__TokenFile=$out/token Management__ApiSettingsFile=$out/api-settings.json
: > "$out/table"; : > "$out/memory"
# RUNS rounds, each capture in turn within a round, so that a slow moment of the machine hits all of them alike.
RUNS=${RUNS:-4}
CAPTURES=${CAPTURES:-virtcapture-afpacket virtcapture-triggers virtcapture-libpcap tcpdump dumpcap}
# Five trigger rules of the kinds a field engineer sets (resets, unreachables, DNS errors, ARP and SYN rates).
TRIGGERS=(
  "Capture__Triggers__0=rst: filter=tcp[tcpflags] & tcp-rst != 0"
  "Capture__Triggers__1=unreach: filter=icmp[icmptype] == icmp-unreach"
  "Capture__Triggers__2=dns-error: filter=udp port 53 and udp[11] & 0xf != 0"
  "Capture__Triggers__3=arp-storm: filter=arp; count=500; within=1s"
  "Capture__Triggers__4=syn-flood: filter=tcp[tcpflags] & tcp-syn != 0; count=1000; within=1s"
)
# Every other round runs the captures in reverse order: a capture that follows another pays for some of it (the same
# build measured in the first and second places of the same rounds, RUNS=3: 17.0 against 18.0 ms/100k during the
# flood, 20.0 against 22.7 for the whole process), so an even RUNS gives each capture each place equally often.
for run in $(seq 1 "$RUNS"); do
  order=$CAPTURES
  [ $((run % 2)) -eq 1 ] || order=$(echo "$CAPTURES" | awk '{ for (i = NF; i > 0; i--) printf "%s ", $i }')
  for name in $order; do
    dir=$out/$name; rm -rf "$dir"
    files=$out/files/$name
    case $name in
      virtcapture-afpacket) measure "$name" "Capture started" "$files/*.pcapng" \
        env "${box_env[@]}" Capture__Backend=AfPacket Storage__Directory="$files" "$VIRTCAPTURE_BIN" run ;;
      virtcapture-baseline) measure "$name" "Capture started" "$files/*.pcapng" \
        env "${box_env[@]}" Capture__Backend=AfPacket Storage__Directory="$files" "${BASELINE_BIN:?virtcapture-baseline needs BASELINE_BIN}" run ;;
      virtcapture-triggers) measure "$name" "Capture started" "$files/*.pcapng" \
        env "${box_env[@]}" Capture__Backend=AfPacket "${TRIGGERS[@]}" Storage__Directory="$files" "$VIRTCAPTURE_BIN" run ;;
      virtcapture-collector) measure "$name" "Capture started" "$files/*.pcapng" \
        env "${box_env[@]}" Capture__Backend=AfPacket Capture__Collector__Port=A Capture__Collector__Address=192.0.2.10/24 Storage__Directory="$files" "$VIRTCAPTURE_BIN" run ;;
      virtcapture-libpcap) measure "$name" "Capture started" "$files/*.pcapng" \
        env "${box_env[@]}" Capture__Backend=Libpcap Storage__Directory="$files" "$VIRTCAPTURE_BIN" run ;;
      tcpdump) measure "$name" "listening on" "$files/out.pcap" \
        tcpdump -i a0 -n -B $((RING_MB * 1024)) -w "$files/out.pcap" ;;
      dumpcap) measure "$name" "Capturing on" "$files/out.pcapng" \
        dumpcap -i a0 -B "$RING_MB" -w "$files/out.pcapng" ;;
    esac
  done
done

echo "captures on: $CAPTURE_FS"
echo "flood ($FLOOD): $FRAMES frames of 64 bytes from trafgen into a0$([ "$FLOOD" = erspan3 ] && echo ", each mirrored in ERSPAN III (118 bytes on the wire)") (ring/buffer $RING_MB MB each), $RUNS rounds"
echo "CPU of the capture process: during the flood (from just before it to 2 s after) the on-CPU time of its threads in ns (/proc/PID/task/*/schedstat); the whole process (start-up included) utime + stime"
printf "%-20s %10s %10s %8s %14s %14s %10s %6s\n" capture sent recorded "loss %" "flood ms/100k" "whole ms/100k" "RSS MB" round
sort -s -k1,1 "$out/table"
echo "resident memory after the flood, MB (the runtime's files are clean pages the kernel can drop and shares between processes)"
printf "%-20s %8s %8s %8s %8s\n" capture ring files "jit code" anon
sort -s -k1,1 "$out/memory"
# The median of a space-separated list, for the summaries below.
median_fn='function median(list,   n, v, i, j, t) { n = split(list, v, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
  return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }'
# Medians of each capture's rounds, and the ratios against tcpdump's. Then the ratio within each round (the same
# moment of the machine for both) and the median of those: tcpdump's own cost moves from round to round more than the
# box's (15.7 to 24.7 ms/100k in one run of six rounds), which the ratio of medians carries whole.
awk "$median_fn"'
  { flood[$1] = flood[$1] " " $5; whole[$1] = whole[$1] " " $6; round[$1, $8] = $5; rounds[$8] = 1 }
  END { if (!("tcpdump" in flood)) exit
    tf = median(flood["tcpdump"]); tw = median(whole["tcpdump"])
    for (c in flood) if (c != "tcpdump" && tf > 0 && tw > 0) {
      printf "%s: %.2fx tcpdump\x27s CPU per frame during the flood (median %.1f vs %.1f ms/100k), %.2fx for the whole process (%.1f vs %.1f)\n", c, median(flood[c]) / tf, median(flood[c]), tf, median(whole[c]) / tw, median(whole[c]), tw
      list = ""; lo = 1e9; hi = 0
      for (r in rounds) if (((c, r) in round) && round["tcpdump", r] > 0) { q = round[c, r] / round["tcpdump", r]; list = list " " q; if (q < lo) lo = q; if (q > hi) hi = q }
      if (list != "") printf "%s: %.2fx tcpdump\x27s CPU per frame during the flood, the median of each round\x27s own ratio (rounds %.2f to %.2f)\n", c, median(list), lo, hi } }' "$out/table" | sort
# The cost of the triggers: the same capture with and without the five rules.
awk "$median_fn"'
  { flood[$1] = flood[$1] " " $5 }
  END { if (("virtcapture-triggers" in flood) && ("virtcapture-afpacket" in flood) && median(flood["virtcapture-afpacket"]) > 0)
    printf "five triggers: %.2fx the CPU per frame of the same capture without them (median %.1f vs %.1f ms/100k)\n", median(flood["virtcapture-triggers"]) / median(flood["virtcapture-afpacket"]), median(flood["virtcapture-triggers"]), median(flood["virtcapture-afpacket"]) }' "$out/table"
