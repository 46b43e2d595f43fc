# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Address families of VRRP instances, and the unicast addresses of the members in each family.

keepalived takes an instance's family from its VIPs (the validators refuse a mix within one instance), so a
dual-stack VIP pair is two instances: one with IPv4 VIPs, one with IPv6 VIPs. VRRP version 2 (RFC 3768) has no
IPv6: an IPv6 instance runs version 3 (RFC 5798), which has no authentication. Its adverts leave from the
interface's link-local address by multicast (ff02::12), or from ``unicast_src_ip`` to the members' IPv6
addresses by unicast.

Pure functions, shared by the keepalived role's filters (vrrp_plan, vrrp_unicast).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

# Where a member's unicast address of each family comes from: its variable, else its default-route fact.
UNICAST_SOURCES = {
    4: ("keepalived_unicast_src_ip", "default_ipv4"),
    6: ("keepalived_unicast_src_ip6", "default_ipv6"),
}


def address_family(value):
    """4 or 6 for ``address[/prefix]`` (an optional ``dev ...`` tail is ignored), None when it is no address."""
    text = str(value or "").strip().split()
    if not text:
        return None
    try:
        return ipaddress.ip_interface(text[0]).version
    except ValueError:
        return None


def instance_family(instance):
    """The family keepalived gives an instance: that of its first VIP that is an address (4 without any)."""
    for vip in (instance or {}).get("virtual_ipaddresses") or []:
        family = address_family(vip)
        if family:
            return family
    return 4


def instance_vrrp_version(family, vrrp_version):
    """VRRP version an instance of ``family`` runs: IPv6 needs version 3 whatever the global version is."""
    return 3 if family == 6 else int(vrrp_version)


def _canonical(address):
    try:
        return str(ipaddress.ip_address(str(address).split("/", maxsplit=1)[0].strip()))
    except ValueError:
        return None


def member_unicast_address(member_vars, family, vips=()):
    """A member's unicast address of ``family`` from its variables (``keepalived_unicast_src_ip``/``..._ip6``,
    else the default-route fact ``default_ipv4``/``default_ipv6``); '' when it has none.

    IPv6 has no secondary addresses and the kernel lists a VIP before the host's own address, so on the master
    ``default_ipv6`` is the VIP: a fact address among ``vips`` is replaced by the interface's last global IPv6
    address that is no VIP (the host's own).
    """
    variable, fact = UNICAST_SOURCES[family]
    member_vars = member_vars or {}
    value = member_vars.get(variable)
    if value:
        return str(value).strip()
    facts = member_vars.get("ansible_facts") or {}
    default = facts.get(fact) or {}
    address = str(default.get("address") or "").strip()
    held = set(filter(None, (_canonical(v) for v in vips or ())))
    if family == 6 and _canonical(address) in held:
        own = [str(a.get("address")) for a in (facts.get(default.get("interface") or "") or {}).get("ipv6") or []
               if a.get("scope") == "global" and _canonical(a.get("address")) not in held]
        address = own[-1] if own else ""
    return address


def unicast_plan(members, host, member_vars, families, vips=()):
    """Per family in ``families``: this host's ``src`` and its ``peers`` (the other members, in group order).

    ``member_vars`` maps each member to its variables, ``vips`` are the cluster's VIPs (see
    member_unicast_address). Returns ``(plan,
    problems)``: plan ``{"ipv4": {"src", "peers"}, "ipv6": {...}}``; one problem per member whose address of a
    needed family is missing, of the wrong family, or the same as another member's.
    """
    plan = {}
    problems = []
    for family in sorted(set(int(f) for f in families)):
        variable, fact = UNICAST_SOURCES[family]
        addresses = {}
        owners = {}
        for member in members:
            address = member_unicast_address((member_vars or {}).get(member), family, vips)
            if address_family(address) != family or "/" in address or "%" in address \
                    or ipaddress.ip_address(address).is_link_local:
                problems.append("%s of %s is %r; keepalived_unicast is on and an instance has IPv%d VIPs, so every "
                                "member needs its own IPv%d address, not link-local and without a prefix (set %s or give the host a default IPv%d route, "
                                "fact %s)" % (variable, member, address, family, family, variable, family, fact))
                continue
            canonical = str(ipaddress.ip_address(address))
            if canonical in owners:
                problems.append("%s of %s is %s, the same as %s's; every member needs its own unicast address"
                                % (variable, member, address, owners[canonical]))
            owners.setdefault(canonical, member)
            addresses[member] = address
        plan["ipv%d" % family] = {
            "src": addresses.get(host, ""),
            "peers": [addresses[member] for member in members if member != host and member in addresses],
        }
    return plan, problems
