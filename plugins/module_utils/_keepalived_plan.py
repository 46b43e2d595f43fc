# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The resolved keepalived plan of a cluster: members, their addresses, unicast peers, the state and priority of
every instance on every member, and the expected owner of every VIP.

Templates, validation, verify playbooks, the demo and the drills read this one plan instead of re-deriving
members' addresses and masters each in their own way. The address of a member has ONE rule
(``member_address``), per address family: its ``keepalived_unicast_src_ip`` (IPv4) or
``keepalived_unicast_src_ip6`` (IPv6) when set and not empty, else the default address of that family in its
gathered facts (never one of the cluster's VIPs), else ``''`` (which validation refuses when unicast is on).

Address families: keepalived takes an instance's family from its VIPs (validation refuses a mix within one
instance), so a dual-stack VIP pair is two instances, one with IPv4 VIPs and one with IPv6 VIPs. VRRP version 2
(RFC 3768) has no IPv6: an IPv6 instance runs version 3 (RFC 5798), which has no authentication. Its adverts
leave from the interface's link-local address by multicast (ff02::12), or by unicast from the member's IPv6
address to the other members' IPv6 addresses.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

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


# Where a member's address of each family comes from: its variable, else this default-route fact.
ADDRESS_SOURCES = {
    4: ("keepalived_unicast_src_ip", "default_ipv4"),
    6: ("keepalived_unicast_src_ip6", "default_ipv6"),
}


def address_family(value):
    """4 or 6 for ``address[/prefix]`` (an optional ``dev ...`` tail is ignored), None when it is no address."""
    words = str(value if value is not None else "").split()
    try:
        return ipaddress.ip_interface(words[0]).version if words else None
    except ValueError:
        return None


def instance_family(instance):
    """The family keepalived gives an instance: that of its first VIP that is an address (4 without any)."""
    for vip in (instance or {}).get("virtual_ipaddresses") or []:
        family = address_family(vip)
        if family:
            return family
    return 4


def canonical_address(value):
    """An address in its one spelling (IPv6 has several), None when ``value`` is no address."""
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError:
        return None


def cluster_vips(instances):
    """The VIP addresses of all ``instances`` (without prefix or device), in order."""
    return [vip_address(vip) for instance in instances or [] for vip in instance.get("virtual_ipaddresses") or []]


def member_address(host_vars, family=4, vips=()):
    """The address of ``family`` a member sends VRRP from and is known by: the one fallback rule of the collection.

    IPv6 has no secondary addresses and the kernel lists an address added later first, so on the master the
    ``default_ipv6`` fact is the VIP it holds: a fact address among ``vips`` is replaced by the last global IPv6
    address of that interface that is no VIP (the host's own), or by ``''`` when there is none.
    """
    variable, fact = ADDRESS_SOURCES[family]
    address = host_vars.get(variable)
    if address not in (None, ""):
        return str(address)
    facts = host_vars.get("ansible_facts") or {}
    default = facts.get(fact) or {}
    address = str(default.get("address") or "")
    held = set(filter(None, (canonical_address(vip) for vip in vips or ())))
    if family == 6 and canonical_address(address) in held:
        interface = facts.get(str(default.get("interface") or "")) or {}
        own = [str(item.get("address")) for item in interface.get("ipv6") or []
               if item.get("scope") == "global" and canonical_address(item.get("address")) not in held]
        address = own[-1] if own else ""
    return address


def member_link_locals(host_vars):
    """The link-local IPv6 addresses of the interface a member sends VRRP on (its ``keepalived_interface`` when set
    as a host variable, else that of its default IPv4 route): multicast IPv6 adverts leave from one of these."""
    facts = host_vars.get("ansible_facts") or {}
    interface = host_vars.get("keepalived_interface") or (facts.get("default_ipv4") or {}).get("interface") or (
        facts.get("default_ipv6") or {}).get("interface")
    entries = (facts.get(str(interface or "")) or {}).get("ipv6") or []
    return [str(item.get("address")) for item in entries if item.get("scope") == "link" and item.get("address")]


def vrrp_sources6(members, hostvars, addresses6):
    """Every IPv6 source an advert of a member may come from (its unicast address, its link-locals), for the
    VRRP firewall; de-duplicated, in member order."""
    sources = []
    for member in members:
        for address in [addresses6.get(member)] + member_link_locals(_vars_of(hostvars, member)):
            if address and address not in sources:
                sources.append(address)
    return sources


def member_addresses(members, hostvars, family=4, vips=()):
    """Member -> address of ``family`` (``member_address``) for every member, in group order."""
    return dict((member, member_address(_vars_of(hostvars, member), family, vips)) for member in members)


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
    vips = cluster_vips(instances)
    addresses = {4: member_addresses(members, hostvars, 4, vips), 6: member_addresses(members, hostvars, 6, vips)}
    families = [instance_family(instance) for instance in instances]
    cluster = []
    owners = {}
    for index, instance in enumerate(instances):
        master = per_member[members[0]][index]["master"]
        instance_vips = [vip_address(vip) for vip in instance.get("virtual_ipaddresses") or []]
        for vip in instance_vips:
            owners[vip] = master
        cluster.append(dict(instance, master=master, vips=instance_vips, family=families[index],
                            states=dict((m, per_member[m][index]["state"]) for m in members),
                            priorities=dict((m, per_member[m][index]["priority"]) for m in members)))
    peers = dict((family, [addresses[family][m] for m in members if m != host]) for family in (4, 6))
    plan = {
        "members": members,
        "addresses": addresses[4],
        "addresses6": addresses[6],
        "vrrp_sources6": vrrp_sources6(members, hostvars, addresses[6]) if 6 in families else [],
        "instances": cluster,
        "owners": owners,
        "host": host,
        "host_instances": [],
        "unicast_src_ip": "",
        "unicast_peers": peers[4],
        "unicast_src_ip6": "",
        "unicast_peers6": peers[6],
    }
    if host is not None:
        if host not in members:
            raise PlanError("host %r is not a member of the keepalived cluster group %r" % (host, members))
        plan["host_instances"] = [
            dict(item, family=family, unicast_src_ip=addresses[family][host], unicast_peers=peers[family])
            for item, family in zip(per_member[host], families)]
        plan["unicast_src_ip"] = addresses[4][host]
        plan["unicast_src_ip6"] = addresses[6][host]
    return plan
