# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: host_addresses
short_description: Every IPv4 and IPv6 address of a list of hosts, from their gathered facts
version_added: 1.3.0
description:
  - Given the C(hostvars) of a cluster's members, every address their facts list (C(all_ipv4_addresses), then
    C(all_ipv6_addresses), link-local included), each once, in order. A host without facts adds nothing.
  - The one place the collection lists a cluster's own VRRP sources - IPv6 adverts come from link-local addresses -
    for M(halb.nginx_keepalived.vrrp_adverts) in the plan and in C(playbooks/verify.yml), and for the monitoring
    role's VRRP listener.
options:
  _input:
    description: The hosts' variables (C(hostvars) of each member).
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: Listen for adverts from outside the cluster
  halb.nginx_keepalived.vrrp_adverts:
    interface: eth0
    members: "{{ groups['load_balancers'] | map('extract', hostvars) | halb.nginx_keepalived.host_addresses }}"
    vrids: [51, 52]
"""

RETURN = r"""
_value:
  description: The addresses, IPv4 first.
  type: list
  elements: str
"""

from collections.abc import Mapping


def host_addresses(hosts):
    """Every address the hosts' facts list, IPv4 first, each once."""
    addresses = []
    for family in ("all_ipv4_addresses", "all_ipv6_addresses"):
        for host in hosts or []:
            facts = host.get("ansible_facts") if isinstance(host, Mapping) else None
            for address in (facts or {}).get(family) or []:
                if address not in addresses:
                    addresses.append(address)
    return addresses


class FilterModule(object):
    def filters(self):
        return {"host_addresses": host_addresses}
