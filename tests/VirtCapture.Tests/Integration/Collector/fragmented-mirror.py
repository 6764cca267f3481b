#!/usr/bin/python3
"""Writes mirror traffic as a sender fragments it over a 600-byte MTU, built by Scapy (not by us): full-size frames in
VXLAN, ERSPAN III and GRE, fragmented by Scapy's fragment(); the fourth datagram's fragments last-first, the fifth
missing its middle fragment, then one whole datagram 5 s later. Usage: fragmented-mirror.py WHOLE.pcap FRAGMENTED.pcap
(WHOLE: the first four datagrams unfragmented)."""
import sys
from scapy.all import Ether, IP, UDP, GRE, Raw, wrpcap, fragment
from scapy.layers.vxlan import VXLAN
from scapy.contrib.erspan import ERSPAN_III
def inner(n):
    return Ether(src="00:50:56:9a:10:%02x" % n, dst="00:50:56:9a:20:01") / IP(src="10.1.1.%d" % n, dst="10.1.1.200") / UDP(sport=1000 + n, dport=2000) / Raw(bytes([n]) * 1400)
def outer(src, i):
    return Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:b0") / IP(src=src, dst="192.0.2.10", id=100 + i)
packets = [
    outer("10.0.0.8", 0) / UDP(sport=50000, dport=4789) / VXLAN(vni=5001) / inner(1),
    outer("10.0.0.6", 1) / GRE(proto=0x22eb, seqnum_present=1, seqence_number=0) / ERSPAN_III(session_id=12, gra=1) / inner(2),
    outer("10.0.0.7", 2) / GRE(proto=0x6558, key_present=1, key=77) / inner(3),
    outer("10.0.0.8", 3) / UDP(sport=50001, dport=4789) / VXLAN(vni=5001) / inner(4),
    outer("10.0.0.8", 4) / UDP(sport=50002, dport=4789) / VXLAN(vni=5001) / inner(5),
]
for i, p in enumerate(packets):
    p.time = 1764000000 + i * 0.01
wrpcap(sys.argv[1], packets[:4])
frames = []
for i, p in enumerate(packets):
    pieces = fragment(p, fragsize=600)
    for f in pieces:
        f.time = p.time
    if i == 3:
        pieces.reverse()
    if i == 4:
        del pieces[1]
    frames += pieces
frames.append(outer("10.0.0.8", 9) / UDP(sport=50003, dport=4789) / VXLAN(vni=5001) / inner(9))
frames[-1].time = 1764000005
wrpcap(sys.argv[2], frames)
