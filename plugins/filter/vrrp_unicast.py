# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: vrrp_unicast
short_description: Unicast source and peer addresses of a keepalived member, per address family
version_added: 1.0.0
description:
  - For each address family in O(families), this host's unicast source address and those of the other members
    (in group order), from each member's C(keepalived_unicast_src_ip) (IPv4) or C(keepalived_unicast_src_ip6)
    (IPv6) host variable, else its C(default_ipv4) or C(default_ipv6) fact.
  - C(problems) names every member without a usable address of a needed family, or with another member's.
positional: hostvars, host, families, own, vips
options:
  _input:
    description: Ordered host names of the cluster group.
    type: list
    elements: str
    required: true
  hostvars:
    description: The variables of every host (C(hostvars)).
    type: dict
    required: true
  host:
    description: The host to plan for.
    type: str
    required: true
  families:
    description: The address families of the host's instances (4, 6).
    type: list
    elements: int
    required: true
  own:
    description: This host's own C(keepalived_unicast_src_ip) and C(keepalived_unicast_src_ip6) (role defaults are
      not visible in C(hostvars)).
    type: dict
    default: {}
  vips:
    description: The cluster's VIPs; a default IPv6 address fact that is one of them (the master's) is replaced by
      the interface's own global IPv6 address.
    type: list
    elements: str
    default: []
"""

EXAMPLES = r"""
- name: Show the IPv6 unicast peers of this host
  ansible.builtin.debug:
    msg: "{{ (groups['load_balancers'] | halb.nginx_keepalived.vrrp_unicast(hostvars, inventory_hostname, [6])).ipv6.peers }}"
"""

RETURN = r"""
_value:
  description: C(ipv4) and/or C(ipv6) (each C(src) and C(peers)), and C(problems) (a list of sentences).
  type: dict
"""

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._vrrp_family import (
    UNICAST_SOURCES,
    unicast_plan,
)


def _vrrp_unicast(members, hostvars, host, families, own=None, vips=None):
    members = list(members or [])
    member_vars = {}
    for member in members:
        source = hostvars.get(member) or {}
        values = {"ansible_facts": source.get("ansible_facts") or {}}
        for variable, _fact in UNICAST_SOURCES.values():
            values[variable] = source.get(variable)
            if member == host and (own or {}).get(variable) is not None:
                values[variable] = own[variable]
        member_vars[member] = values
    plan, problems = unicast_plan(members, host, member_vars, families or [], vips or [])
    plan["problems"] = problems
    return plan


class FilterModule(object):
    def filters(self):
        return {"vrrp_unicast": _vrrp_unicast}
