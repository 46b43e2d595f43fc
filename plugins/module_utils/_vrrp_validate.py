# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cluster-wide checks of keepalived instances that no argument spec can express.

Each function returns a list of problems, each a sentence naming the variable, the value and the rule,
so that a playbook can refuse the whole inventory before any host is changed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress


def _vip_address(vip):
    """The address part of a VIP written as ``address[/prefix]`` (None when it is not an address)."""
    try:
        return str(ipaddress.ip_interface(str(vip).strip()).ip)
    except ValueError:
        return None


def instance_problems(instances):
    """Problems inside one host's list of instances."""
    problems = []
    seen_names = {}
    seen_vrids = {}
    seen_vips = {}
    for index, instance in enumerate(instances):
        where = "keepalived_instances[%d] (%s)" % (index, instance.get("name"))
        name = instance.get("name")
        if name in seen_names:
            problems.append("%s: name %r is already used by keepalived_instances[%d]; names must be unique"
                            % (where, name, seen_names[name]))
        seen_names.setdefault(name, index)
        vrid = instance.get("virtual_router_id")
        key = (instance.get("interface"), vrid)
        if not isinstance(vrid, int) or isinstance(vrid, bool) or not 1 <= vrid <= 255:
            problems.append("%s: virtual_router_id is %r; allowed: a whole number 1..255" % (where, vrid))
        elif key in seen_vrids:
            problems.append("%s: virtual_router_id %d is already used by %s on the same interface; "
                            "a VRID must be unique per segment" % (where, vrid, seen_vrids[key]))
        seen_vrids.setdefault(key, name)
        vips = instance.get("virtual_ipaddresses") or []
        if not vips:
            problems.append("%s: virtual_ipaddresses is empty; give at least one address/prefix" % where)
        for vip in vips:
            address = _vip_address(vip)
            if address is None:
                problems.append("%s: virtual_ipaddresses entry %r is not an IP address with an optional /prefix"
                                % (where, vip))
                continue
            if address in seen_vips:
                problems.append("%s: VIP %s is already used by %s; each VIP belongs to one instance"
                                % (where, address, seen_vips[address]))
            seen_vips.setdefault(address, name)
    return problems


def _signature(instances):
    return dict(
        (i.get("name"), (i.get("virtual_router_id"), sorted(_vip_address(v) or str(v) for v in i.get("virtual_ipaddresses") or [])))
        for i in instances
    )


def cluster_problems(members, instances_by_host, addresses_by_host):
    """Problems across the members of one VRRP cluster.

    ``instances_by_host`` maps each member to its keepalived_instances, ``addresses_by_host`` to the
    IP addresses the host owns (its facts). Every member must describe the same instances (same names,
    VRIDs and VIPs), and no VIP may be a member's own address.
    """
    problems = []
    if not members:
        return ["the keepalived cluster group has no members"]
    first = members[0]
    reference = _signature(instances_by_host.get(first) or [])
    for host in members[1:]:
        mine = _signature(instances_by_host.get(host) or [])
        for name in sorted(set(reference) | set(mine), key=str):
            if reference.get(name) != mine.get(name):
                problems.append(
                    "keepalived_instances differ between %s and %s for instance %s: %s on %s, %s on %s "
                    "(virtual_router_id and VIPs must be the same on every member)"
                    % (first, host, name, _describe(reference.get(name)), first, _describe(mine.get(name)), host)
                )
    owners = {}
    for host in members:
        for address in addresses_by_host.get(host) or []:
            owners.setdefault(str(address), host)
    for instance in instances_by_host.get(first) or []:
        for vip in instance.get("virtual_ipaddresses") or []:
            address = _vip_address(vip)
            if address in owners:
                problems.append(
                    "keepalived_instances (%s): VIP %s is the own address of %s; a VIP must be an address "
                    "no member owns" % (instance.get("name"), address, owners[address])
                )
    return problems


def _describe(signature):
    if signature is None:
        return "missing"
    return "virtual_router_id %s, VIPs %s" % (signature[0], ", ".join(signature[1]))
