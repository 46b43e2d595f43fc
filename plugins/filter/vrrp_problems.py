# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: vrrp_problems
short_description: List what is wrong with the keepalived instances of a cluster
version_added: 1.0.0
description:
  - Checks rules that an argument spec cannot express, for one host and across all members of the
    cluster group, and returns one sentence per problem naming the variable, the value and the rule.
  - Unique instance names, VRIDs (per interface) and VIPs; valid VIP addresses; the same instances
    (names, VRIDs, VIPs) on every member; no VIP equal to a member's own address.
  - Instance names and interfaces have keepalived.conf's syntax (one word, no braces, comments or quotes).
  - Every VIP is a usable unicast host address (no loopback, multicast, unspecified, link-local, network or
    broadcast address of its prefix), and one instance holds VIPs of one address family only.
positional: members, hostvars
options:
  _input:
    description: The instances of the host (C(keepalived_instances)).
    type: list
    elements: dict
    required: true
  members:
    description: Ordered host names of the cluster group.
    type: list
    elements: str
    required: true
  hostvars:
    description: The variables of every host (C(hostvars)); read are each member's C(keepalived_instances) and the
      address it owns (C(ansible_facts.default_ipv4.address)).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Refuse an inconsistent cluster
  ansible.builtin.assert:
    that: problems | length == 0
    fail_msg: "{{ problems | join('; ') }}"
  vars:
    problems: "{{ keepalived_instances | halb.nginx_keepalived.vrrp_problems(groups['load_balancers'], hostvars) }}"
"""

RETURN = r"""
_value:
  description:
    - One sentence per problem, ending with its rule id in brackets (C([vrrp-vrid-range])); empty when the instances are valid.
  type: list
  elements: str
"""

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._keepalived_plan import (
    member_instances,
    member_owned_addresses,
)
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._vrrp_validate import (
    cluster_problems,
    instance_problems,
)


def _vrrp_problems(instances, members, hostvars):
    members = list(members)
    return instance_problems(instances) + cluster_problems(members, member_instances(members, hostvars),
                                                           member_owned_addresses(members, hostvars))


class FilterModule(object):
    def filters(self):
        return {"vrrp_problems": _vrrp_problems}
