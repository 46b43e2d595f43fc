# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Decide who owns a VIP from what a client sees (neighbour MAC, LB header) and what the load
balancers report (vrrp_info results). Pure functions, stdlib only, Python 3.9+.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._ip_json import (
    is_vrrp_vmac,
    normalize_mac,
    split_address,
)


def holders_from_states(vip, vrrp_states):
    """Names of the load balancers whose vrrp_info result says they hold ``vip``.

    Each state is a vrrp_info result (or a dict with at least ``vips``); its name is taken from
    ``host``, then ``hostname``, then its position (``#0``).
    """
    address = split_address(vip)[0]
    holders = []
    for name, state in _named_states(vrrp_states):
        for held in state.get("vips") or []:
            held_address = held.get("address") if isinstance(held, dict) else held
            if held_address and split_address(held_address)[0] == address:
                holders.append(name)
                break
    return holders


def _same_address(held, address):
    """Whether ``held`` (as keepalived or iproute2 print it) is ``address``: IPv6 has several spellings."""
    try:
        return bool(held) and split_address(held)[0] == address
    except ValueError:
        return False


def _named_states(vrrp_states):
    """Yield (name, state) for each vrrp_info result: ``host``, then ``hostname``, then ``#<position>``."""
    for index, state in enumerate(vrrp_states or []):
        if isinstance(state, dict):
            yield state.get("host") or state.get("hostname") or "#%d" % index, state


def instance_summary(vip, vrrp_states):
    """Per load balancer: the VRRP instance naming ``vip`` with its state and effective priority."""
    address = split_address(vip)[0]
    summary = []
    for name, state in _named_states(vrrp_states):
        entry = {"host": name, "instance": None, "state": None, "effective_priority": None,
                 "running": (state.get("keepalived") or {}).get("running")}
        for inst in state.get("instances") or []:
            if any(_same_address(v.get("address"), address) for v in inst.get("vips") or []):
                entry.update(instance=inst.get("name"), state=inst.get("state"),
                             effective_priority=inst.get("effective_priority"))
                break
        summary.append(entry)
    return summary


def candidate_by_mac(candidates, mac):
    mac = normalize_mac(mac)
    if not mac:
        return None
    for cand in candidates or []:
        if normalize_mac(cand.get("mac")) == mac:
            return cand["name"]
    return None


def candidate_by_header(candidates, value):
    if not value:
        return None
    for cand in candidates or []:
        if value in (cand.get("name"), cand.get("hostname")):
            return cand["name"]
    return None


def decide(vip, answered, mac, header_value, candidates, vrrp_states, expected_owner):
    """Combine the observations into ``owner`` and a list of ``problems`` (empty when healthy)."""
    problems = []
    vmac = is_vrrp_vmac(mac)
    owner_by_mac = None if vmac else candidate_by_mac(candidates, mac)
    owner_by_http = candidate_by_header(candidates, header_value)
    holders = holders_from_states(vip, vrrp_states) if vrrp_states is not None else None

    if not answered:
        problems.append("nobody answers for VIP %s (no ping reply, no neighbour entry, no HTTP response)" % vip)
    if holders is not None and len(holders) > 1:
        problems.append("split brain: %d load balancers hold VIP %s: %s" % (len(holders), vip, ", ".join(holders)))
    if holders is not None and not holders and answered:
        problems.append("VIP %s answers but no load balancer reports holding it" % vip)
    if mac and not vmac and candidates and owner_by_mac is None:
        problems.append("VIP %s answers from MAC %s, which belongs to none of the candidates (%s)"
                        % (vip, mac, ", ".join("%s=%s" % (c["name"], c.get("mac")) for c in candidates)))
    if owner_by_mac and owner_by_http and owner_by_mac != owner_by_http:
        problems.append("VIP %s resolves to %s's MAC but %s served the HTTP request" % (vip, owner_by_mac, owner_by_http))

    owner = owner_by_mac or owner_by_http
    if owner is None and holders is not None and len(holders) == 1 and answered:
        owner = holders[0]
    if owner and holders is not None and len(holders) == 1 and holders[0] != owner:
        problems.append("clients reach VIP %s at %s but %s reports holding it" % (vip, owner, holders[0]))
    if answered and owner is None and not problems:
        problems.append("VIP %s answers but its owner cannot be told (MAC %s, %s header %s)"
                        % (vip, mac, "load balancer", header_value))
    if expected_owner and owner != expected_owner:
        problems.append("VIP %s is owned by %s, expected %s" % (vip, owner or "nobody", expected_owner))
    return {
        "owner": owner,
        "owner_by_mac": owner_by_mac,
        "owner_by_http": owner_by_http,
        "holders": holders,
        "vmac": vmac,
        "problems": problems,
    }
