# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The resolved keepalived plan of a cluster: members, their addresses, unicast peers, the state and priority of
every instance on every member, and the expected owner of every VIP.

Templates, validation, verify playbooks, the demo and the drills read this one plan instead of re-deriving
members' addresses and masters each in their own way. The address of a member has ONE rule
(``member_address``): its ``keepalived_unicast_src_ip`` when set and not empty, else the default IPv4 address
of its gathered facts, else ``''`` (which validation refuses when unicast is on).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._vrrp_plan import (
    PlanError,
    plan_host,
)


def _vars_of(hostvars, host):
    """A member's variables (``hostvars[host]``), or {} when the inventory does not know it."""
    return (hostvars[host] or {}) if host in hostvars else {}


def vip_address(vip):
    """The address of a VIP as written in keepalived_instances ('198.18.71.183/24 dev eth1' -> '198.18.71.183')."""
    return str(vip).split("/", 1)[0].split()[0]


def member_address(host_vars):
    """The address a member sends VRRP from and is known by: the one fallback rule of the collection."""
    address = host_vars.get("keepalived_unicast_src_ip")
    if address not in (None, ""):
        return str(address)
    facts = host_vars.get("ansible_facts") or {}
    return str((facts.get("default_ipv4") or {}).get("address") or "")


def member_addresses(members, hostvars):
    """Member -> address (``member_address``) for every member, in group order."""
    return dict((member, member_address(_vars_of(hostvars, member))) for member in members)


def member_instances(members, hostvars):
    """Member -> its own keepalived_instances (validation compares them across the cluster)."""
    return dict((member, list(_vars_of(hostvars, member).get("keepalived_instances") or [])) for member in members)


def member_owned_addresses(members, hostvars):
    """Member -> the addresses it owns per its facts (a VIP must be none of them)."""
    owned = {}
    for member in members:
        facts = _vars_of(hostvars, member).get("ansible_facts") or {}
        address = (facts.get("default_ipv4") or {}).get("address")
        owned[member] = [str(address)] if address else []
    return owned


def resolve_plan(instances, members, hostvars, host=None, topology="master_backup", top_priority=110,
                 priority_step=10):
    """The whole plan (see the keepalived_plan filter's RETURN for the keys). Raises PlanError on bad inputs."""
    members = list(members or [])
    if not members:
        raise PlanError("the keepalived cluster group has no members")
    instances = list(instances or [])
    per_member = dict((member, plan_host(instances, members, member, topology, int(top_priority),
                                         int(priority_step))) for member in members)
    addresses = member_addresses(members, hostvars)
    cluster = []
    owners = {}
    for index, instance in enumerate(instances):
        master = per_member[members[0]][index]["master"]
        vips = [vip_address(vip) for vip in instance.get("virtual_ipaddresses") or []]
        for vip in vips:
            owners[vip] = master
        cluster.append(dict(instance, master=master, vips=vips,
                            states=dict((m, per_member[m][index]["state"]) for m in members),
                            priorities=dict((m, per_member[m][index]["priority"]) for m in members)))
    plan = {
        "members": members,
        "addresses": addresses,
        "instances": cluster,
        "owners": owners,
        "host": host,
        "host_instances": [],
        "unicast_src_ip": "",
        "unicast_peers": [addresses[m] for m in members],
    }
    if host is not None:
        if host not in members:
            raise PlanError("host %r is not a member of the keepalived cluster group %r" % (host, members))
        plan["host_instances"] = per_member[host]
        plan["unicast_src_ip"] = addresses[host]
        plan["unicast_peers"] = [addresses[m] for m in members if m != host]
    return plan
