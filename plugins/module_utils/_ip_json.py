# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Parsers for iproute2 output: ``ip -j addr`` and ``ip -j neigh`` (with a text fallback for neigh).

Pure functions, stdlib only, importable on Python 3.9+.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import json
import re

# Prefixes of the VRRP virtual MACs (RFC 5798): IPv4 00:00:5e:00:01:XX, IPv6 00:00:5e:00:02:XX.
VRRP_VMAC_PREFIXES = ("00:00:5e:00:01:", "00:00:5e:00:02:")


class IpOutputError(ValueError):
    """Raised when iproute2 output cannot be parsed."""


def _load(text, what):
    text = (text or "").strip()
    if not text:
        return []
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise IpOutputError("cannot parse '%s' output as JSON: %s" % (what, exc))
    if not isinstance(data, list):
        raise IpOutputError("'%s' output is not a JSON list" % what)
    return data


def split_address(address):
    """Split ``'198.18.70.183/24'`` into ``('198.18.70.183', 24)``; prefix is None when absent."""
    address = str(address).strip()
    if "/" in address:
        ip, prefix = address.split("/", 1)
        return str(ipaddress.ip_address(ip)), int(prefix)
    return str(ipaddress.ip_address(address)), None


def normalize_mac(mac):
    return str(mac).strip().lower() if mac else None


def is_vrrp_vmac(mac):
    mac = normalize_mac(mac)
    return bool(mac) and mac.startswith(VRRP_VMAC_PREFIXES)


def parse_ip_addr(text):
    """Parse ``ip -j addr`` into a flat list of addresses.

    Each item: ``{address, prefix, family, interface, mac, scope, secondary, primary}`` where
    ``primary`` is True for the interface's own global address of each family: the first IPv4 one (the kernel
    marks later ones secondary), the last IPv6 one (IPv6 has no secondary flag, and the kernel lists an address
    added later, such as a VIP from keepalived, before the earlier ones).
    """
    result = []
    for link in _load(text, "ip -j addr"):
        if not isinstance(link, dict):
            continue
        ifname = link.get("ifname")
        mac = normalize_mac(link.get("address"))
        seen_family = set()
        infos = [i for i in link.get("addr_info") or [] if isinstance(i, dict) and "local" in i]
        last_global6 = [i for i in infos if i.get("family") == "inet6" and i.get("scope") == "global"][-1:]
        for info in infos:
            family = info.get("family")
            scope = info.get("scope")
            secondary = bool(info.get("secondary", False))
            if family == "inet6":
                primary = bool(last_global6) and info is last_global6[0]
            else:
                primary = scope == "global" and not secondary and family not in seen_family
            if scope == "global":
                seen_family.add(family)
            result.append({
                "address": str(info["local"]),
                "prefix": info.get("prefixlen"),
                "family": family,
                "interface": ifname,
                "label": info.get("label", ifname),
                "mac": mac,
                "scope": scope,
                "secondary": secondary,
                "primary": primary,
            })
    return result


def interface_macs(text):
    """Map interface name -> MAC from ``ip -j addr`` (or ``ip -j link``) output."""
    macs = {}
    for link in _load(text, "ip -j addr"):
        if isinstance(link, dict) and link.get("ifname"):
            macs[link["ifname"]] = normalize_mac(link.get("address"))
    return macs


def find_addresses(addresses, wanted):
    """Return the entries of ``addresses`` (from parse_ip_addr) whose address is in ``wanted``.

    ``wanted`` items may carry a prefix (``198.18.70.183/24``); the prefix is ignored for matching.
    """
    want = set()
    for item in wanted:
        want.add(split_address(item)[0])
    found = []
    for entry in addresses:
        try:
            ip = str(ipaddress.ip_address(entry["address"]))
        except ValueError:
            continue
        if ip in want:
            found.append(entry)
    return found


def extra_global_addresses(addresses):
    """Global addresses that are not the interface's primary one (how VIPs look without a dump)."""
    return [a for a in addresses if a["scope"] == "global" and not a["primary"]]


def parse_ip_neigh(text, address=None):
    """Parse ``ip -j neigh [show ADDR]`` into ``[{address, interface, mac, state}]``.

    ``state`` is the list of NUD states (``['REACHABLE']``). Entries without a link-layer address
    (INCOMPLETE, FAILED) have ``mac`` None. When ``address`` is given only matching entries are kept.
    """
    result = []
    for entry in _load(text, "ip -j neigh"):
        if not isinstance(entry, dict) or "dst" not in entry:
            continue
        state = entry.get("state") or []
        if isinstance(state, str):
            state = [state]
        result.append({
            "address": str(entry["dst"]),
            "interface": entry.get("dev"),
            "mac": normalize_mac(entry.get("lladdr")),
            "state": [str(s) for s in state],
        })
    return _filter_neigh(result, address)


_NEIGH_LINE = re.compile(
    r"^(?P<dst>\S+)(?:\s+dev\s+(?P<dev>\S+))?(?:.*?\slladdr\s+(?P<mac>[0-9a-fA-F:]+))?.*?(?P<state>(?:\s+[A-Z]+)+)?\s*$"
)


def parse_ip_neigh_text(text, address=None):
    """Fallback for iproute2 without ``-j``: parse ``ip neigh show`` text lines."""
    result = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        match = _NEIGH_LINE.match(line)
        if not match:
            continue
        state = (match.group("state") or "").split()
        state = [s for s in state if s != "router"]
        result.append({
            "address": match.group("dst"),
            "interface": match.group("dev"),
            "mac": normalize_mac(match.group("mac")),
            "state": state,
        })
    return _filter_neigh(result, address)


def _filter_neigh(entries, address):
    if address is None:
        return entries
    want = split_address(address)[0]
    out = []
    for entry in entries:
        try:
            if str(ipaddress.ip_address(entry["address"])) == want:
                out.append(entry)
        except ValueError:
            continue
    return out


def best_neighbor(entries):
    """Pick the most useful neighbour entry: one with a MAC and a usable state first."""
    usable = ("REACHABLE", "STALE", "DELAY", "PROBE", "PERMANENT", "NOARP")
    with_mac = [e for e in entries if e.get("mac")]
    for entry in with_mac:
        if any(s in usable for s in entry["state"]):
            return entry
    if with_mac:
        return with_mac[0]
    return entries[0] if entries else None
