# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""keepalived's VRRP state as Prometheus metrics (text exposition format, node_exporter's textfile collector).

Inputs, all already produced by the collection:

* the instances parsed from keepalived's dump (``_keepalived_dump.parse_dump``);
* the addresses this host holds (``ip -j addr``, parsed by ``_ip_json.parse_ip_addr``);
* the state log written by the notify FIFO reader (``<epoch> INSTANCE "VI_1" MASTER 110`` per line);
* the instances and VIPs the inventory configures (so that a host whose keepalived is down still says
  "I do not hold this VIP" instead of falling silent).

Only names, states, priorities, addresses and times are exported: nothing from the dump's authentication
fields ever reaches a metric or a label. Pure functions, stdlib only, importable on its own (the collector
on the load balancer imports this file as a top-level module).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import tempfile

PREFIX = "halb_keepalived_"

# The states an instance is exported in, one 0/1 series each (a "state set").
EXPORTED_STATES = ("INIT", "BACKUP", "MASTER", "FAULT", "STOP")

_LOG_LINE = re.compile(r'^(?P<time>\d+(?:\.\d+)?)\s+INSTANCE\s+"?(?P<name>[^"\s]+)"?\s+(?P<state>[A-Z]+)(?:\s+(?P<prio>\d+))?\s*$')

_HELP = {
    "up": ("gauge", "1 when keepalived runs and its state dump was read, else 0."),
    "collector_last_run_timestamp_seconds": ("gauge", "When the collector last wrote these metrics."),
    "vrrp_state": ("gauge", "1 for the state the VRRP instance is in, 0 for the others."),
    "vrrp_priority_effective": ("gauge", "Effective VRRP priority (configured priority plus tracker weights)."),
    "vrrp_priority_configured": ("gauge", "Configured (base) VRRP priority."),
    "vrrp_vip_held": ("gauge", "1 when this host holds the virtual IP of the instance, else 0."),
    "vrrp_transitions_total": ("counter", "State changes of the instance read from the notify FIFO state log."),
    "vrrp_last_transition_timestamp_seconds": ("gauge", "Time of the instance's last state change (epoch)."),
}


class MetricsError(ValueError):
    """Inputs that cannot be turned into metrics."""


def escape_label(value):
    """Escape a label value for the text exposition format."""
    return str(value).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(pairs):
    return "{%s}" % ",".join('%s="%s"' % (key, escape_label(value)) for key, value in pairs)


def _number(value):
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def parse_state_log(text):
    """Summarise the notify FIFO state log per instance: transitions, last time, last state and priority.

    Lines that are not instance lines (``GROUP ...``, partial lines) are skipped; the log is the only
    record, so a malformed line must not hide the others.
    """
    summary = {}
    for line in (text or "").splitlines():
        match = _LOG_LINE.match(line.strip())
        if not match:
            continue
        entry = summary.setdefault(match.group("name"), {"transitions": 0, "last_time": None, "state": None})
        entry["transitions"] += 1
        entry["last_time"] = float(match.group("time"))
        entry["state"] = match.group("state")
    return summary


def held_vips(instances, addresses):
    """Map (instance, VIP address) to whether the host holds it, from parsed ``ip -j addr`` entries."""
    here = set(entry["address"] for entry in addresses)
    held = {}
    for inst in instances:
        for vip in inst.get("vips", []):
            held[(inst["name"], vip["address"])] = vip["address"] in here
    return held


def merge_configured(instances, configured):
    """Add the configured instances and VIPs that the dump does not name (keepalived down or not reloaded).

    ``configured`` maps instance name to a list of VIPs (``198.18.70.183/24`` or bare addresses).
    Instances only configured get no state and no priority: their VIPs are exported as not held.
    """
    if not isinstance(configured, dict):
        raise MetricsError("the configured instances must be a mapping of instance name to VIP list, got %r"
                           % type(configured).__name__)
    merged = [dict(inst, vips=list(inst.get("vips", []))) for inst in instances]
    by_name = dict((inst["name"], inst) for inst in merged)
    for name in sorted(configured):
        vips = configured[name]
        if not isinstance(vips, list):
            raise MetricsError("the VIPs of configured instance %s must be a list, got %r" % (name, vips))
        inst = by_name.get(name)
        if inst is None:
            inst = {"name": name, "state": None, "base_priority": None, "effective_priority": None, "vips": []}
            merged.append(inst)
            by_name[name] = inst
        known = set(vip["address"] for vip in inst["vips"])
        for vip in vips:
            address = str(vip).split("/", 1)[0]
            if address not in known:
                inst["vips"].append({"address": address})
                known.add(address)
    return merged


def render(instances, addresses, state_log, up, now, last_transitions=None):
    """Render the metrics text.

    ``instances``: from the dump merged with the configured ones; ``addresses``: parsed ``ip -j addr``;
    ``state_log``: ``parse_state_log`` output; ``up``: whether the dump was read; ``now``: epoch seconds;
    ``last_transitions``: optional map instance -> epoch from the dump (``last_transition`` in the JSON
    dump), used when the state log has no line for the instance.
    """
    last_transitions = last_transitions or {}
    series = dict((name, []) for name in _HELP)
    series["up"].append(([], 1 if up else 0))
    series["collector_last_run_timestamp_seconds"].append(([], now))
    held = held_vips(instances, addresses)
    for inst in sorted(instances, key=lambda i: i["name"]):
        name = inst["name"]
        base = [("vrrp_instance", name)]
        if inst.get("state"):
            for state in EXPORTED_STATES:
                series["vrrp_state"].append((base + [("state", state)], 1 if inst["state"] == state else 0))
        if inst.get("effective_priority") is not None:
            series["vrrp_priority_effective"].append((base, inst["effective_priority"]))
        if inst.get("base_priority") is not None:
            series["vrrp_priority_configured"].append((base, inst["base_priority"]))
        for vip in sorted(set(v["address"] for v in inst.get("vips", []))):
            series["vrrp_vip_held"].append((base + [("vip", vip)], held[(name, vip)]))
        log = state_log.get(name)
        series["vrrp_transitions_total"].append((base, log["transitions"] if log else 0))
        last = log["last_time"] if log else last_transitions.get(name)
        if last is not None:
            series["vrrp_last_transition_timestamp_seconds"].append((base, last))
    return _exposition(PREFIX, _HELP, series)


def _exposition(prefix, helps, series):
    """The text exposition of ``series`` (metric name without ``prefix`` -> [(labels, value)]): HELP and TYPE from
    ``helps`` (name -> (type, text)), in its order, for the metrics that have a series."""
    lines = []
    for key in helps:
        if not series.get(key):
            continue
        kind, text = helps[key]
        lines.append("# HELP %s%s %s" % (prefix, key, text))
        lines.append("# TYPE %s%s %s" % (prefix, key, kind))
        for labels, value in series[key]:
            lines.append("%s%s%s %s" % (prefix, key, _labels(labels) if labels else "", _number(value)))
    return "\n".join(lines) + "\n"


def json_last_transitions(text):
    """``last_transition`` per instance from keepalived's JSON dump (absent from the text dump)."""
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    result = {}
    for item in data if isinstance(data, list) else []:
        inst = item.get("data") if isinstance(item, dict) else None
        if isinstance(inst, dict) and inst.get("iname") and inst.get("last_transition"):
            result[inst["iname"]] = float(inst["last_transition"])
    return result


def write_atomically(path, text):
    """Replace a metrics file as node_exporter must see it: whole or not at all (a temporary file in the same
    directory, fsync, rename), readable by everyone. Used by both collectors on the load balancer."""
    directory = os.path.dirname(path)
    handle, tmp = tempfile.mkstemp(prefix=".halb.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.rename(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _advert_labels(interface, family, vrid, source=None):
    pairs = [("interface", interface), ("family", "ipv%d" % family), ("vrid", vrid)]
    return _labels(pairs + ([("source", source)] if source is not None else []))


def render_adverts(totals, watched, now):
    """The VRRP listener's metrics text, from its running totals (``_vrrp_adverts.new_totals`` and ``count``).
    ``watched``: every (interface, family, vrid) listened for, each counter exported from 0 before anything is heard
    (so an alert sees the first increase); ``now``: epoch seconds of this write."""
    prefix = PREFIX + "vrrp_"
    lines = []
    for name, kind, text, series in (
            ("foreign_adverts_total", "counter", "VRRP adverts for one of the cluster's VRIDs from an address that is "
             "not a member, heard below the firewall.", totals["foreign"]),
            ("malformed_adverts_total", "counter", "VRRP packets with a wrong TTL or hop limit, a bad checksum, an "
             "unknown version or type, or too short for their addresses.", totals["malformed"])):
        lines += ["# HELP %s%s %s" % (prefix, name, text), "# TYPE %s%s %s" % (prefix, name, kind)]
        for key in sorted(set(watched) | set(series), key=repr):
            lines.append("%s%s%s %d" % (prefix, name, _advert_labels(*key), series.get(key, 0)))
    lines += ["# HELP %sforeign_source_last_seen_timestamp_seconds When the source last sent a foreign advert (epoch), "
              "for the sources the listener heard last." % prefix,
              "# TYPE %sforeign_source_last_seen_timestamp_seconds gauge" % prefix]
    for key in sorted(totals["sources"], key=repr):
        lines.append("%sforeign_source_last_seen_timestamp_seconds%s %r" % (
            prefix, _advert_labels(*key), float(totals["sources"][key][0])))
    lines += ["# HELP %sforeign_source_priority The priority of the source's last foreign advert." % prefix,
              "# TYPE %sforeign_source_priority gauge" % prefix]
    for key in sorted(totals["sources"], key=repr):
        lines.append("%sforeign_source_priority%s %d" % (prefix, _advert_labels(*key), totals["sources"][key][1]))
    lines += ["# HELP %slistener_last_write_timestamp_seconds When the VRRP listener last wrote these metrics." % prefix,
              "# TYPE %slistener_last_write_timestamp_seconds gauge" % prefix,
              "%slistener_last_write_timestamp_seconds %r" % (prefix, float(now))]
    return "\n".join(lines) + "\n"


# The ACME certificates' record (``certificates.json``, written on every member by the nginx_lb role's ACME run,
# plugins/plugin_utils/acme.py ``records``): by virtual host, the names, the expiry of the certificate the cluster
# serves, the last renewal, the renewal failures in a row and the time before which the CA is not asked again. Only
# those are exported (no key, no account).
ACME_PREFIX = "halb_acme_certificate_"
_ACME_HELP = {
    "not_after_timestamp_seconds": ("gauge", "When the certificate the cluster serves for the name expires."),
    "renewed_timestamp_seconds": ("gauge", "When the certificate was last issued."),
    "renewal_failures": ("gauge", "Renewals the ACME CA refused in a row (0 after a certificate was issued)."),
    "retry_after_timestamp_seconds": ("gauge", "Time before which the run does not ask the ACME CA again."),
    "record_valid": ("gauge", "1 when the record of the certificates was read, 0 when it is unreadable."),
}


def parse_certificates_record(text):
    """The certificates of a ``certificates.json`` text by virtual host; ``{}`` for no text; ValueError when it is
    not such a record."""
    if not text or not text.strip():
        return {}
    data = json.loads(text)
    certificates = data.get("certificates") if isinstance(data, dict) else None
    if not isinstance(certificates, dict) or not all(isinstance(item, dict) for item in certificates.values()):
        raise ValueError("no 'certificates' mapping")
    return certificates


def render_certificates(text):
    """Render the ACME certificates' metrics of a ``certificates.json`` text (none at all without a record: a host without ACME exports nothing)."""
    try:
        certificates = parse_certificates_record(text)
    except ValueError:
        return _exposition(ACME_PREFIX, _ACME_HELP, {"record_valid": [([], 0)]})
    if not text or not text.strip():
        return ""
    series = dict((name, []) for name in _ACME_HELP)
    series["record_valid"].append(([], 1))
    for vhost in sorted(certificates):
        record = certificates[vhost]
        # One series per name of the certificate (an alert names the name a client asks for).
        for name in record.get("names") or []:
            labels = [("vhost", vhost), ("name", name)]
            for key, field in (("not_after_timestamp_seconds", "not_after"), ("renewed_timestamp_seconds", "renewed"),
                               ("retry_after_timestamp_seconds", "retry_after")):
                if isinstance(record.get(field), (int, float)) and not isinstance(record.get(field), bool):
                    series[key].append((labels, record[field]))
            series["renewal_failures"].append((labels, int(record.get("failures") or 0)))
    return _exposition(ACME_PREFIX, _ACME_HELP, series)
