#!/usr/bin/python3
"""Writes a pcap of mirror traffic as virtual switches send it, built by Scapy (not by us): ERSPAN I, II and III
(with and without the platform sub-header; two frames of the ERSPAN II session lost on the way: a gap in its
GRE sequence), GRE transparent Ethernet bridging (with key, sequence and checksum),
VXLAN on 4789 and 8472, Geneve with options; outer IPv4 and IPv6; plus traffic that is not mirror traffic and a
damaged ERSPAN header. Usage: mirror-traffic.py OUT.pcap [--plain] (--plain: only traffic that is not mirror traffic)"""
import sys
from scapy.all import Ether, IP, IPv6, UDP, TCP, ICMP, GRE, Raw, wrpcap, Dot1Q
from scapy.layers.vxlan import VXLAN
from scapy.contrib.erspan import ERSPAN_II, ERSPAN_III, ERSPAN_PlatformSpecific
from scapy.contrib.geneve import GENEVE

box = "02:00:00:00:00:b0"
host1, host2 = "02:00:00:00:00:01", "02:00:00:00:00:02"

def vm_frame(n, vlan=None):
    inner = Ether(src="00:50:56:9a:10:%02x" % (n % 256), dst="00:50:56:9a:20:01")
    if vlan:
        inner = inner / Dot1Q(vlan=vlan)
    return inner / IP(src="10.1.1.%d" % (n % 250 + 1), dst="10.1.1.200") / UDP(sport=1000 + n, dport=2000) / Raw(bytes([n % 256]) * (20 + n % 40))

def outer4(src):
    return Ether(src=host1, dst=box) / IP(src=src, dst="192.0.2.10")

def outer6(src):
    return Ether(src=host2, dst=box) / IPv6(src=src, dst="2001:db8::10")

frames = []
n = 0
def add(p):
    global n
    frames.append(p)
    n += 1

plain = "--plain" in sys.argv
for i in range(0 if plain else 3):
    add(outer4("10.0.0.5") / GRE(proto=0x88be) / vm_frame(n))
for i in range(0 if plain else 3):
    add(outer4("10.0.0.5") / GRE(proto=0x88be, seqnum_present=1, seqence_number=100 + i + (2 if i == 2 else 0)) / ERSPAN_II(ver=1, session_id=7, vlan=20, cos=3) / vm_frame(n))
for i in range(0 if plain else 3):
    add(outer4("10.0.0.6") / GRE(proto=0x22eb, seqnum_present=1, seqence_number=i) / ERSPAN_III(session_id=12, gra=1, d=i % 2, timestamp=1000 + i) / vm_frame(n, vlan=30))
for i in range(0 if plain else 2):
    add(outer6("2001:db8::6") / GRE(proto=0x22eb, seqnum_present=1, seqence_number=i) / ERSPAN_III(session_id=12, o=1, gra=1) / ERSPAN_PlatformSpecific(platf_id=7, info1=0, info2=5) / vm_frame(n))
for i in range(0 if plain else 3):
    add(outer4("10.0.0.7") / GRE(proto=0x6558, key_present=1, key=77, seqnum_present=1, seqence_number=i, chksum_present=1) / vm_frame(n))
for i in range(0 if plain else 2):
    add(outer4("10.0.0.7") / GRE(proto=0x6558) / vm_frame(n))
for i in range(0 if plain else 3):
    add(outer4("10.0.0.8") / UDP(sport=50000 + i, dport=4789) / VXLAN(vni=5001) / vm_frame(n))
for i in range(0 if plain else 2):
    add(outer6("2001:db8::8") / UDP(sport=50000 + i, dport=8472) / VXLAN(vni=5002) / vm_frame(n))
for i in range(0 if plain else 3):
    add(outer4("10.0.0.9") / UDP(sport=50000 + i, dport=6081) / GENEVE(vni=6001, proto=0x6558, optionlen=2, options=b"\x01\x02\x80\x01\x00\x00\x00\x07") / vm_frame(n))
# Not mirror traffic: ordinary TCP and ICMP to the collector, UDP to another port.
add(outer4("10.0.0.5") / TCP(sport=22, dport=22) / Raw(b"x" * 30))
add(outer4("10.0.0.5") / ICMP())
add(outer4("10.0.0.5") / UDP(sport=1, dport=53) / Raw(b"y" * 30))
# Damaged: an ERSPAN II header cut short, and a Geneve carrying IPv4.
if not plain:
    add(outer4("10.0.0.5") / GRE(proto=0x88be, seqnum_present=1) / Raw(b"\x10\x00"))
    add(outer4("10.0.0.9") / UDP(sport=50000, dport=6081) / GENEVE(vni=6001, proto=0x0800) / IP(dst="10.9.9.9"))
for i, p in enumerate(frames):
    p.time = 1764000000 + i * 0.001
wrpcap(sys.argv[1], frames)
