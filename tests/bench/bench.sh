#!/usr/bin/env bash
# make bench: the offline data path against tcpdump, same file, same filter, same run.
# Prints the median of RUNS runs each, frames per second, the ratio, and the capture thread's allocations.
set -euo pipefail
cd "$(dirname "$0")/../.."
FRAMES=${FRAMES:-2000000}
RUNS=${RUNS:-3}
FILTER=${FILTER:-'udp or (vlan and udp)'}
# The box as it ships (make publish-host: make publish's recipe for this machine); VIRTCAPTURE_BIN measures another.
VIRTCAPTURE_BIN=${VIRTCAPTURE_BIN:-$PWD/build/publish/linux-x64/virtcapture}
dir=var/bench
mkdir -p "$dir"
big="$dir/big-$FRAMES.pcap"
if [ ! -s "$big" ]; then
  echo "generating $big ($FRAMES frames: IMIX sizes, VLAN tags, IPv4 and IPv6)"
  dotnet build/bench/VirtCapture.Bench.dll generate "$big" "$FRAMES" >/dev/null
fi
echo "input: $big, $(stat -c %s "$big") bytes, $FRAMES frames; filter: $FILTER; virtcapture: $VIRTCAPTURE_BIN"

seconds() { # runs "$@", prints elapsed seconds
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>"$dir/last.err" || { cat "$dir/last.err" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

ours=(); theirs=()
for i in $(seq 1 "$RUNS"); do
  rm -f "$dir/out.pcapng" "$dir/out.pcap"
  ours+=("$(seconds "$VIRTCAPTURE_BIN" capture -r "$big" -w "$dir/out.pcapng" -f "$FILTER")")
  theirs+=("$(seconds tcpdump -r "$big" -w "$dir/out.pcap" "$FILTER")")
done
"$VIRTCAPTURE_BIN" capture -r "$big" -w "$dir/out.pcapng" -f "$FILTER" --stats 2>"$dir/stats.txt" >/dev/null
ours_frames=$(capinfos -c -M "$dir/out.pcapng" | awk -F': *' '/Number of packets/ {print $2}')
theirs_frames=$(capinfos -c -M "$dir/out.pcap" | awk -F': *' '/Number of packets/ {print $2}')
mo=$(median "${ours[@]}"); mt=$(median "${theirs[@]}")
printf '\n%-12s %10s %14s %14s  %s\n' tool "median s" "frames/s" "frames kept" "runs (s)"
printf '%-12s %10.3f %14.0f %14s  %s\n' virtcapture "$mo" "$(echo "$FRAMES / $mo" | bc -l)" "$ours_frames" "${ours[*]}"
printf '%-12s %10.3f %14.0f %14s  %s\n' tcpdump "$mt" "$(echo "$FRAMES / $mt" | bc -l)" "$theirs_frames" "${theirs[*]}"
printf 'ratio: virtcapture is %.2fx the speed of tcpdump (tcpdump time / virtcapture time)\n' "$(echo "$mt / $mo" | bc -l)"
sed 's/^virtcapture: /allocations: /' "$dir/stats.txt"
[ "$ours_frames" = "$theirs_frames" ] || { echo "MISMATCH: virtcapture kept $ours_frames frames, tcpdump $theirs_frames"; exit 1; }
