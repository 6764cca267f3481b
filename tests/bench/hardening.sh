#!/bin/bash
# tests/bench/hardening.sh BINARY PORT: 200 parallel wrong tokens, then 10 stalled live clients (RSS before, during, after).
# Run it on two builds to compare them (the figures of issue #10's closing note).
BIN=$1; PORT=$2; D=$(mktemp -d)
VIRTCAPTURE_CONFIG_DIR=$D/cfg Capture__Backend=Synthetic Capture__SyntheticRate=40000 Storage__Directory=$D/cap Storage__MinFreePercent=0 Management__Urls=http://127.0.0.1:$PORT Management__TokenFile=$D/token $BIN run > $D/log 2>&1 &
PID=$!; sleep 6; TOKEN=$(cat $D/token)
start=$(date +%s.%N)
pids=(); for i in $(seq 1 200); do curl -s -o /dev/null -m 10 -w "%{http_code} %{time_total}\n" -H "Authorization: Bearer wrong$i-xxxxxxxxxxxxxxxx" http://127.0.0.1:$PORT/api/status >> $D/codes & pids+=($!); done; wait "${pids[@]}"
echo "200 parallel wrong tokens (10 s client timeout): $(awk '$1==401' $D/codes | wc -l) answered 401, $(awk '$1==429' $D/codes | wc -l) refused 429, $(awk '$1=="000"' $D/codes | wc -l) unanswered; the slowest 401 after $(awk '$1==401 {print $2}' $D/codes | sort -g | tail -1) s"
sleep 35  # let the queue of wrong tokens drain before using the real token
python3 - $PID $TOKEN $PORT <<'PY'
import socket, sys, time
pid, token, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
def rss(): return int([l for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS")][0].split()[1])//1024
base = rss(); socks = []
for _ in range(10):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096); s.connect(("127.0.0.1", port))
    s.send(f"GET /api/live HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n".encode()); socks.append(s)
time.sleep(15); during = rss()
for s in socks: s.close()
time.sleep(5)
print(f"10 stalled live clients at 40,000 frames/s: RSS {base} MB before, {during} MB after 15 s, {rss()} MB 5 s after they left")
PY
kill -TERM $PID; wait $PID 2>/dev/null; rm -rf $D
