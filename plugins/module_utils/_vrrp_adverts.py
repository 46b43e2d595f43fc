# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""VRRP adverts as they arrive on an interface: parse, check and sort them (halb.nginx_keepalived.vrrp_adverts).

The module captures IPv4 and IPv6 packets with a packet socket (AF_PACKET, SOCK_DGRAM: the link-layer header is
already removed), which sees what arrives on the interface before netfilter, so a VRRP firewall that drops a foreign
advert does not hide it. Besides the capture itself (``capture``), the
functions are pure: the IP header (protocol or next header 112), the VRRP header of version 2 (RFC 3768) and 3
(RFC 5798), and its checks (TTL / hop limit 255 on the multicast group, the checksum, the version, the type, the
address count against the length). A foreign advert is one for a VRID this cluster uses, from an address that is not
one of its members.

Two users: the module (one listening window, for verify.yml and the plan) and the monitoring role's listener
(halb-vrrp-listener, which imports this file as a top-level module and keeps counting: ``count``; its metrics are
``_keepalived_metrics.render_adverts``). Stdlib only.
"""

from __future__ import absolute_import, division, print_function

import ipaddress
import select
import socket
import struct
import time

__metaclass__ = type

VRRP_PROTOCOL = 112
ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800
ETH_P_IPV6 = 0x86DD
PACKET_OUTGOING = 4
# The listener remembers at most this many foreign sources (the most recently heard): a flood from random addresses
# still counts, but does not grow its metrics (_keepalived_metrics.render_adverts).
MAX_SOURCES = 16


def checksum(data):
    """The Internet checksum (RFC 1071) of data: 0 when data includes a correct checksum."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def _ip_header(packet):
    """(family, source, destination, ttl or hop limit, payload) of an IPv4 or IPv6 packet carrying VRRP, or None."""
    if len(packet) < 1:
        return None
    version = packet[0] >> 4
    if version == 4 and len(packet) >= 20:
        header_length = (packet[0] & 0x0F) * 4
        total_length = struct.unpack("!H", packet[2:4])[0]
        if packet[9] != VRRP_PROTOCOL or header_length < 20 or len(packet) < header_length:
            return None
        end = min(len(packet), total_length) if total_length >= header_length else len(packet)
        return (4, str(ipaddress.IPv4Address(packet[12:16])), str(ipaddress.IPv4Address(packet[16:20])), packet[8],
                packet[header_length:end])
    if version == 6 and len(packet) >= 40:
        payload_length = struct.unpack("!H", packet[4:6])[0]
        if packet[6] != VRRP_PROTOCOL:
            return None
        return (6, str(ipaddress.IPv6Address(packet[8:24])), str(ipaddress.IPv6Address(packet[24:40])), packet[7],
                packet[40:40 + payload_length])
    return None


def _pseudo_header(family, source, destination, length):
    if family == 4:
        return (ipaddress.IPv4Address(source).packed + ipaddress.IPv4Address(destination).packed
                + struct.pack("!BBH", 0, VRRP_PROTOCOL, length))
    return (ipaddress.IPv6Address(source).packed + ipaddress.IPv6Address(destination).packed
            + struct.pack("!I3xB", length, VRRP_PROTOCOL))


def parse(packet):
    """One captured packet as an advert: {family, source, destination, version, vrid, priority, addresses,
    advert_int, auth_type, problems}; None when it is not VRRP. ``problems`` lists what makes it malformed."""
    header = _ip_header(bytes(packet))
    if header is None:
        return None
    family, source, destination, ttl, vrrp = header
    problems = []
    # RFC 3768/5798 require 255 on the multicast group; keepalived's unicast adverts keep the system's default (its
    # IPv6 ones were captured with hop limit 64) and keepalived does not check it on them.
    if ttl != 255 and ipaddress.ip_address(destination).is_multicast:
        problems.append("TTL %d (VRRP requires 255)" % ttl)
    if len(vrrp) < 8:
        return {"family": family, "source": source, "destination": destination, "version": 0, "vrid": 0,
                "priority": 0, "addresses": [], "advert_int": 0, "auth_type": None,
                "problems": problems + ["%d bytes, shorter than a VRRP header" % len(vrrp)]}
    version, kind = vrrp[0] >> 4, vrrp[0] & 0x0F
    vrid, priority, count = vrrp[1], vrrp[2], vrrp[3]
    size = 16 if family == 6 else 4
    if version not in (2, 3):
        problems.append("version %d" % version)
    if kind != 1:
        problems.append("type %d (1 is an advertisement)" % kind)
    if version == 2 and family == 6:
        problems.append("version 2 over IPv6")
    auth_type = None
    if version == 2:
        auth_type = vrrp[4]
        advert_int = float(vrrp[5])
        needed = 8 + count * size + 8
    else:
        advert_int = (struct.unpack("!H", vrrp[4:6])[0] & 0x0FFF) / 100.0
        needed = 8 + count * size
    if len(vrrp) < needed:
        problems.append("%d addresses announced, %d bytes sent (%d needed)" % (count, len(vrrp), needed))
        addresses = []
    else:
        raw = vrrp[8:8 + count * size]
        make = ipaddress.IPv6Address if family == 6 else ipaddress.IPv4Address
        addresses = [str(make(raw[i:i + size])) for i in range(0, len(raw), size)]
        message = vrrp[:needed]
        if version == 3:
            ok = checksum(_pseudo_header(family, source, destination, len(message)) + message) == 0
        else:
            ok = checksum(message) == 0
        if not ok:
            problems.append("bad checksum")
    return {"family": family, "source": source, "destination": destination, "version": version, "vrid": vrid,
            "priority": priority, "addresses": addresses, "advert_int": advert_int, "auth_type": auth_type,
            "problems": problems}


def summarise(adverts, members, vrids, interface=None):
    """The adverts heard, one entry per (family, source, vrid) with its count and last priority, sorted; and which
    are foreign: for one of ``vrids`` (the cluster's) from an address that is not in ``members``, each also as the
    text refusals name it (``foreign_text``, with ``interface``). Malformed adverts are counted per (family, source,
    vrid) with their problems."""
    own = set(str(ipaddress.ip_address(a)) for a in members)
    wanted = set(int(v) for v in vrids)
    heard = {}
    for advert in adverts:
        key = (advert["family"], advert["source"], advert["vrid"])
        entry = heard.setdefault(key, {"family": advert["family"], "source": advert["source"], "vrid": advert["vrid"],
                                       "version": advert["version"], "priority": advert["priority"], "count": 0,
                                       "malformed": 0, "problems": [], "member": advert["source"] in own})
        entry["count"] += 1
        entry["priority"] = advert["priority"]
        if advert["problems"]:
            entry["malformed"] += 1
            entry["problems"] = sorted(set(entry["problems"]) | set(advert["problems"]))
    ordered = [heard[k] for k in sorted(heard, key=lambda k: (k[0], k[2], k[1]))]
    foreign = [e for e in ordered if not e["member"] and e["vrid"] in wanted]
    return {"adverts": ordered, "foreign": foreign, "malformed": sum(e["malformed"] for e in ordered),
            "foreign_text": [describe(e, interface) for e in foreign]}


def listen_seconds(advert_int):
    """How long to listen to hear every speaker at least three times: three advert intervals of the slowest instance
    and half a second of slack, at least 1 s and at most 60 s."""
    return min(max(3 * float(advert_int) + 0.5, 1.0), 60.0)


def describe(entry, interface):
    """One summary entry as the refusals name it: ``198.18.71.171 VRID 51 priority 200 (VRRPv2, 3 adverts on eth0)``."""
    return "%s VRID %s priority %s (VRRPv%s, %s adverts on %s)" % (
        entry["source"], entry["vrid"], entry["priority"], entry["version"], entry["count"], interface)


def open_socket(interface):
    """A packet socket bound to interface: every frame that arrives there, before netfilter (needs CAP_NET_RAW)."""
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_ALL))
    try:
        sock.bind((interface, 0))
    except OSError:
        sock.close()
        raise
    return sock


def receive(sockets, seconds, max_packets):
    """The VRRP adverts that arrive within seconds on each of ``sockets`` (interface -> socket), parsed, at most
    max_packets in all; the host's own outgoing adverts are left out."""
    adverts = dict((interface, []) for interface in sockets)
    by_socket = dict((sock, interface) for interface, sock in sockets.items())
    received = 0
    deadline = time.monotonic() + seconds
    while received < max_packets:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        ready, dummy_w, dummy_x = select.select(list(by_socket), [], [], left)
        for sock in ready:
            data, address = sock.recvfrom(65535)
            protocol, pkttype = address[1], address[2]
            if pkttype == PACKET_OUTGOING or protocol not in (ETH_P_IP, ETH_P_IPV6):
                continue
            advert = parse(data)
            if advert is not None:
                adverts[by_socket[sock]].append(advert)
                received += 1
    return adverts


def capture(interface, seconds, max_packets):
    """The VRRP adverts that arrive on interface for seconds (parsed)."""
    sock = open_socket(interface)
    try:
        return receive({interface: sock}, seconds, max_packets)[interface]
    finally:
        sock.close()


def new_totals():
    """The listener's running totals: foreign and malformed adverts per (interface, family, vrid), and each foreign
    source's last advert (epoch seconds and priority) per (interface, family, vrid, source)."""
    return {"foreign": {}, "malformed": {}, "sources": {}}


def count(totals, summary, interface, now):
    """Add one listening window's summary (``summarise``) to the running totals (``new_totals``). At most MAX_SOURCES
    foreign sources are remembered, the most recently heard: a flood from random addresses still counts, but does
    not grow the metrics."""
    for entry in summary["foreign"]:
        key = (interface, entry["family"], entry["vrid"])
        totals["foreign"][key] = totals["foreign"].get(key, 0) + entry["count"]
        totals["sources"][key + (entry["source"],)] = (now, entry["priority"])
    for entry in summary["adverts"]:
        if entry["malformed"]:
            key = (interface, entry["family"], entry["vrid"])
            totals["malformed"][key] = totals["malformed"].get(key, 0) + entry["malformed"]
    for stale in sorted(totals["sources"], key=lambda k: totals["sources"][k][0])[:-MAX_SOURCES]:
        del totals["sources"][stale]
    return totals
