# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Parsers for keepalived's own state dumps.

* the text dump written to ``/tmp/keepalived.data`` on the signal named by ``keepalived --signum=DATA``;
* the JSON dump written to ``/tmp/keepalived.json`` on ``keepalived --signum=JSON`` (builds with
  ``--enable-json``).

Both are normalised to the same list of instances::

    {name, state, wantstate, interface, virtual_router_id, base_priority, effective_priority,
     master_router, master_priority, vrrp_version, advert_int, nopreempt,
     vips: [{address, prefix, interface, set}]}

The text dump also lists the VRRP scripts (``parse_data_scripts``: name, interval, fall, rise, weight);
the JSON dump does not.

Checked against keepalived 2.2.7 and 2.3.3 output. Pure functions, stdlib only, Python 3.9+.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

# keepalived's vrrp.h: VRRP_STATE_INIT 0, _BACK 1, _MAST 2, _FAULT 3, _STOP 98, VRRP_DISPATCHER 99.
JSON_STATES = {0: "INIT", 1: "BACKUP", 2: "MASTER", 3: "FAULT", 98: "STOP", 99: "DISPATCHER"}

VALID_STATES = ("INIT", "BACKUP", "MASTER", "FAULT", "STOP", "DELETED", "DISPATCHER")

_SECTION = re.compile(r"^-+<\s*(?P<name>.+?)\s*>-+\s*$")
_INSTANCE = re.compile(r"^ VRRP Instance = (?P<name>\S+)\s*$")
_KEY_VALUE = re.compile(r"^   (?P<key>[A-Za-z][^=]*?)\s*=\s*(?P<value>.*?)\s*$")
_VIP_HEADER = re.compile(r"^   Virtual IP \((?P<count>\d+)\):\s*$")
_VIP_LINE = re.compile(r"^     (?P<text>\S.*?)\s*$")
_VERSION = re.compile(r"Keepalived v(?P<version>\d+(?:\.\d+)+\S*)")
_SCRIPT = re.compile(r"^ VRRP Script = (?P<name>\S+)\s*$")
# "1 sec", "100 milli-sec" (keepalived prints sub-second advert intervals in milliseconds).
_SECONDS = re.compile(r"^(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>milli-sec|sec)\b")


class DumpError(ValueError):
    """The dump cannot be parsed (truncated, empty, not a keepalived dump)."""


def parse_version(text):
    """Extract ``2.2.7`` from ``keepalived -v`` output (``Keepalived v2.2.7 (01/16,2022)``)."""
    match = _VERSION.search(text or "")
    return match.group("version") if match else None


def parse_signum(text):
    """Parse ``keepalived --signum=NAME`` output: a signal number, or None when unsupported."""
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


def parse_vip(text):
    """Parse a VIP as keepalived prints it: ``198.19.201.101/24 dev eth0 scope global set``."""
    words = text.split()
    if not words:
        raise DumpError("empty virtual IP line")
    address = words[0]
    prefix = None
    if "/" in address:
        address, prefix_text = address.split("/", 1)
        if not prefix_text.isdigit():
            raise DumpError("cannot parse virtual IP %r" % text)
        prefix = int(prefix_text)
    else:
        prefix = 128 if ":" in address else 32
    interface = None
    if "dev" in words:
        index = words.index("dev")
        if index + 1 < len(words):
            interface = words[index + 1]
    return {
        "address": address,
        "prefix": prefix,
        "interface": interface,
        "set": words[-1] == "set",
    }


def _int_or_none(value):
    try:
        return int(str(value).split()[0])
    except (ValueError, IndexError, TypeError):
        return None


def _seconds_or_none(value):
    """``1 sec`` -> 1.0, ``100 milli-sec`` -> 0.1; None when absent or unknown."""
    match = _SECONDS.match(str(value or "").strip())
    if not match:
        return None
    seconds = float(match.group("value"))
    return round(seconds / 1000.0, 6) if match.group("unit") == "milli-sec" else seconds


def _preempt_off(value):
    """``Preempt = enabled|disabled`` -> nopreempt; None when absent."""
    if value is None:
        return None
    return value.strip().lower() != "enabled"


def parse_data_scripts(text):
    """The ``VRRP Scripts`` section of a text dump: ``[{name, interval, fall, rise, weight}]``, seconds."""
    scripts = []
    current = None
    inside = False
    for line in (text or "").splitlines():
        section = _SECTION.match(line)
        if section:
            inside = section.group("name") == "VRRP Scripts"
            current = None
            continue
        if not inside:
            continue
        match = _SCRIPT.match(line)
        if match:
            current = {"name": match.group("name"), "interval": None, "fall": None, "rise": None, "weight": None}
            scripts.append(current)
            continue
        pair = _KEY_VALUE.match(line)
        if current is None or not pair:
            continue
        key = pair.group("key").lower()
        if key == "interval":
            current["interval"] = _seconds_or_none(pair.group("value"))
        elif key in ("fall", "rise") and current[key] is None:
            current[key] = _int_or_none(pair.group("value"))
        elif key == "weight" and current["weight"] is None:
            try:
                current["weight"] = int(pair.group("value").split()[0])
            except (ValueError, IndexError):
                current["weight"] = None
    return scripts


def parse_data_dump(text):
    """Parse the text dump (``/tmp/keepalived.data``) into a list of instances."""
    if not text or not text.strip():
        raise DumpError("the data dump is empty")
    lines = text.splitlines()
    sections = [i for i, line in enumerate(lines) if _SECTION.match(line)]
    if not sections:
        raise DumpError("no '------< ... >------' section header: not a keepalived data dump")
    topology_start = None
    for index in sections:
        if _SECTION.match(lines[index]).group("name") == "VRRP Topology":
            topology_start = index
            break
    if topology_start is None:
        raise DumpError("no 'VRRP Topology' section: the dump holds no VRRP instances "
                        "(is the VRRP subsystem running?) or it is truncated")
    later = [i for i in sections if i > topology_start]
    if not later:
        raise DumpError("the dump ends inside the 'VRRP Topology' section: it is truncated")
    body = lines[topology_start + 1:later[0]]

    instances = []
    current = None
    vip_expected = 0
    for line in body:
        match = _INSTANCE.match(line)
        if match:
            current = {"name": match.group("name"), "_fields": {}, "vips": [], "_vip_count": 0}
            instances.append(current)
            vip_expected = 0
            continue
        if current is None:
            continue
        if vip_expected:
            vip = _VIP_LINE.match(line)
            if vip:
                current["vips"].append(parse_vip(vip.group("text")))
                vip_expected -= 1
                continue
            vip_expected = 0
        header = _VIP_HEADER.match(line)
        if header:
            vip_expected = int(header.group("count"))
            current["_vip_count"] += vip_expected
            continue
        pair = _KEY_VALUE.match(line)
        if pair and pair.group("key") not in current["_fields"]:
            current["_fields"][pair.group("key")] = pair.group("value")

    return [_finish_data_instance(inst) for inst in instances]


def _finish_data_instance(inst):
    fields = inst["_fields"]
    missing = [k for k in ("State", "Interface", "Virtual Router ID", "Effective priority") if k not in fields]
    if missing:
        raise DumpError("VRRP instance %s lacks %s: the dump is truncated or in an unknown format"
                        % (inst["name"], ", ".join(missing)))
    if len(inst["vips"]) != inst["_vip_count"]:
        raise DumpError("VRRP instance %s announces %d virtual IPs but lists %d: the dump is truncated"
                        % (inst["name"], inst["_vip_count"], len(inst["vips"])))
    state = fields["State"].upper()
    if state not in VALID_STATES:
        raise DumpError("VRRP instance %s has unknown state %r" % (inst["name"], fields["State"]))
    return {
        "name": inst["name"],
        "state": state,
        "wantstate": fields.get("Wantstate"),
        "interface": fields["Interface"],
        "virtual_router_id": _int_or_none(fields["Virtual Router ID"]),
        "base_priority": _int_or_none(fields.get("Priority")),
        "effective_priority": _int_or_none(fields["Effective priority"]),
        "master_router": fields.get("Master router"),
        "master_priority": _int_or_none(fields.get("Master priority")),
        "vrrp_version": _int_or_none(fields.get("VRRP Version")),
        "advert_int": _seconds_or_none(fields.get("Advert interval")),
        "nopreempt": _preempt_off(fields.get("Preempt")),
        "vips": inst["vips"],
    }


def parse_json_dump(text):
    """Parse the JSON dump (``/tmp/keepalived.json``) into a list of instances."""
    if not text or not text.strip():
        raise DumpError("the JSON dump is empty")
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise DumpError("the JSON dump cannot be parsed (truncated?): %s" % exc)
    if not isinstance(data, list):
        raise DumpError("the JSON dump is not a list of VRRP instances")
    instances = []
    for index, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("data"), dict):
            raise DumpError("JSON dump entry %d has no 'data' object" % index)
        inst = item["data"]
        missing = [k for k in ("iname", "state", "vrid", "effective_priority") if k not in inst]
        if missing:
            raise DumpError("JSON dump entry %d lacks %s" % (index, ", ".join(missing)))
        state = JSON_STATES.get(inst["state"])
        if state is None:
            raise DumpError("VRRP instance %s has unknown state %r" % (inst["iname"], inst["state"]))
        want = inst.get("wantstate")
        vips = [parse_vip(v) for v in inst.get("vips") or []]
        if inst.get("vipset") is not None:
            for vip in vips:
                vip["set"] = bool(inst["vipset"])
        instances.append({
            "name": inst["iname"],
            "state": state,
            "wantstate": JSON_STATES.get(want, want),
            "interface": inst.get("ifp_ifname"),
            "virtual_router_id": inst["vrid"],
            "base_priority": inst.get("base_priority"),
            "effective_priority": inst["effective_priority"],
            "master_router": None,
            "master_priority": inst.get("master_priority") or None,
            "vrrp_version": inst.get("version"),
            "advert_int": inst.get("adver_int"),
            "nopreempt": inst.get("nopreempt"),
            "vips": vips,
        })
    return instances


def parse_dump(text, dump_format):
    """Parse a dump; ``dump_format`` is ``json`` or ``data``."""
    if dump_format == "json":
        return parse_json_dump(text)
    return parse_data_dump(text)


def instance_vip_addresses(instances):
    """All VIP addresses (without prefix) named by the instances, in order, unique."""
    seen = []
    for inst in instances:
        for vip in inst["vips"]:
            if vip["address"] not in seen:
                seen.append(vip["address"])
    return seen
