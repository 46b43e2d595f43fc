# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drain decisions: the live state of the cluster members and whether one of them may stop serving.

A member is *healthy* when keepalived runs and every VRRP instance it reports is MASTER or BACKUP, and *drained*
when its drain switch (the track_file halb_drain) holds anything but 0. A member holding VIPs may be taken
out of service (drained, restarted) only when another member is healthy and not drained.
"""

from __future__ import absolute_import, division, print_function

import base64

__metaclass__ = type

SERVING_STATES = ("MASTER", "BACKUP")


def drain_value(slurp_result):
    """The drain switch's value from an ansible.builtin.slurp result ('' when the file is missing)."""
    content = (slurp_result or {}).get("content")
    if not content:
        return ""
    return base64.b64decode(content).decode("utf-8", "replace").strip()


def member_state(host, vrrp, drain):
    """One member: {host, running, states, vips, drained, healthy} from a vrrp_info result and the switch value."""
    vrrp = vrrp or {}
    running = bool((vrrp.get("keepalived") or {}).get("running"))
    states = [inst.get("state") for inst in vrrp.get("instances") or []]
    return {
        "host": host,
        "running": running,
        "states": states,
        "vips": [v.get("address") for v in vrrp.get("vips") or [] if v.get("address")],
        "drained": drain not in ("", "0"),
        "healthy": running and bool(states) and all(s in SERVING_STATES for s in states),
    }


def cluster_state(vrrp_results, drain_results=None):
    """Members' states from a looped vrrp_info result (one item per member) whose ``drain`` each holds the drain
    switch (its ``drain_file`` option), or from it and a looped slurp result of the switch (same order)."""
    if drain_results is None:
        return [member_state(r.get("item"), r, r.get("drain") or "") for r in vrrp_results or []]
    drains = {r.get("item"): drain_value(r) for r in drain_results or []}
    return [member_state(r.get("item"), r, drains.get(r.get("item"), "")) for r in vrrp_results or []]


def _why_not(member):
    if member["drained"]:
        return "drained"
    if not member["running"]:
        return "keepalived not running"
    return "instances %s" % ("/".join(str(s) for s in member["states"]) or "none")


def drain_refusal(state, host, reason="drain"):
    """'' when ``host`` may stop serving, else a sentence naming its VIPs and why no other member can take them."""
    me = [m for m in state if m["host"] == host]
    if not me:
        return "%s is not a member of the cluster state read (%s)" % (host, ", ".join(m["host"] for m in state))
    if not me[0]["vips"]:
        return ""
    peers = [m for m in state if m["host"] != host]
    if any(m["healthy"] and not m["drained"] for m in peers):
        return ""
    return ("%s holds %s and would stop serving (%s), but no other member could take its VIPs: %s."
            % (host, ", ".join(me[0]["vips"]), reason,
               "; ".join("%s: %s" % (m["host"], _why_not(m)) for m in peers) or "it is the only member"))
