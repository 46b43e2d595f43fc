# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: keepalived_plan
short_description: Resolve a keepalived cluster into one plan (members, addresses, peers, states, priorities, owners)
version_added: 1.0.0
description:
  - The one place where the collection derives who is in the VRRP cluster, which address each member has, which
    peers a member sends unicast adverts to, the state and priority of every instance on every member and the
    load balancer expected to hold each VIP when all are healthy. keepalived.conf, the VRRP firewall, verify,
    the demo, the drills and molecule read this plan instead of re-deriving it.
  - A member's address is its C(keepalived_unicast_src_ip) when set and not empty, else the default IPv4 address of
    its gathered facts, else an empty string (the role's validation refuses that when unicast is on).
  - Its IPv6 address follows the same rule with C(keepalived_unicast_src_ip6) and the C(default_ipv6) fact, except that
    a fact address that is one of the cluster's VIPs (the kernel lists a VIP first, so it is the master's
    C(default_ipv6)) is replaced by the interface's own global IPv6 address.
  - An instance's address family is that of its VIPs; an IPv6 instance's unicast source and peers are the members'
    IPv6 addresses.
  - States and priorities follow the topology and the group order (C(master_backup) - the first member masters every
    instance; C(dual_master) - member C(i mod N) masters instance C(i); an instance's own C(master) wins). The
    master gets O(top_priority); each step away from it in the group order costs O(priority_step).
  - Fails naming the variable and what is allowed when the topology, the priorities, an instance's C(master) or
    O(host) cannot give a plan (the role's validation reports the same rules before any host is changed).
positional: members, hostvars
options:
  _input:
    description: The instances (C(keepalived_instances)), each with C(name), C(virtual_router_id), C(virtual_ipaddresses).
    type: list
    elements: dict
    required: true
  members:
    description: Ordered host names of the cluster group (C(groups[keepalived_cluster_group])).
    type: list
    elements: str
    required: true
  hostvars:
    description: The variables of every host (C(hostvars)); read are C(keepalived_unicast_src_ip),
      C(keepalived_unicast_src_ip6) and C(ansible_facts).
    type: dict
    required: true
  host:
    description: The member to plan for (C(inventory_hostname)); fills C(host_instances), C(unicast_src_ip),
      C(unicast_src_ip6) and leaves O(host) out of C(unicast_peers) and C(unicast_peers6).
    type: str
  topology:
    description: How masters are spread (C(keepalived_topology)).
    type: str
    default: master_backup
    choices: [master_backup, dual_master]
  top_priority:
    description: Priority of an instance's master (C(keepalived_priority_top)), 2..254.
    type: int
    default: 110
  priority_step:
    description: Priority difference between consecutive members (C(keepalived_priority_step)), at least 1.
    type: int
    default: 10
"""

EXAMPLES = r"""
- name: Show the plan of this load balancer
  ansible.builtin.debug:
    msg: >-
      {{ keepalived_instances | halb.nginx_keepalived.keepalived_plan(groups['load_balancers'], hostvars,
         host=inventory_hostname, topology='dual_master') }}

- name: Expect every VIP on its planned master (verify.yml)
  ansible.builtin.import_playbook: halb.nginx_keepalived.verify
  vars:
    verify_expected_owners: >-
      {{ (hostvars[groups['load_balancers'][0]]['keepalived_instances']
          | halb.nginx_keepalived.keepalived_plan(groups['load_balancers'], hostvars, topology='dual_master')).owners }}
  # owners => {"198.18.70.183": "lb1", "198.18.70.184": "lb2"}

- name: Show the IPv6 unicast peers of this load balancer (instances with IPv6 VIPs send to these)
  ansible.builtin.debug:
    msg: >-
      {{ (keepalived_instances | halb.nginx_keepalived.keepalived_plan(groups['load_balancers'], hostvars,
          host=inventory_hostname)).unicast_peers6 }}
"""

RETURN = r"""
_value:
  description: The plan.
  type: dict
  contains:
    members:
      description: The cluster members, in group order.
      type: list
      elements: str
    addresses:
      description: Member to its address (C(keepalived_unicast_src_ip), else its default IPv4 address, else empty).
      type: dict
    addresses6:
      description:
        - Member to its IPv6 address (C(keepalived_unicast_src_ip6), else its default IPv6 address unless that is a
          VIP, else its interface's own global IPv6 address, else empty).
      type: dict
    vrrp_sources6:
      description:
        - When an instance has IPv6 VIPs, every IPv6 address a member's adverts may come from (its C(addresses6)
          entry and the link-local addresses of its VRRP interface, from its facts); else empty. The VRRP firewall
          admits IPv6 adverts from these only.
      type: list
      elements: str
    instances:
      description:
        - Every instance as given, plus C(master) (the member that masters it), C(vips) (its VIP addresses without
          prefix or device), C(family) (4 or 6, that of its VIPs), C(states) (member to C(MASTER) or C(BACKUP)) and
          C(priorities) (member to priority).
      type: list
      elements: dict
    owners:
      description: VIP address (without prefix) to the member expected to hold it when all members are healthy.
      type: dict
    host:
      description: O(host), or null when not given.
      type: str
    host_instances:
      description:
        - The instances as O(host) renders them, each plus C(state), C(priority), C(master), C(family), and
          C(unicast_src_ip) and C(unicast_peers) of its family; empty without O(host).
      type: list
      elements: dict
    unicast_src_ip:
      description: The address of O(host) (empty without O(host)).
      type: str
    unicast_peers:
      description: The addresses of the other members in group order (of all members without O(host)).
      type: list
      elements: str
    unicast_src_ip6:
      description: The IPv6 address of O(host) (empty without O(host)).
      type: str
    unicast_peers6:
      description: The IPv6 addresses of the other members in group order (of all members without O(host)).
      type: list
      elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._keepalived_plan import resolve_plan
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._vrrp_plan import PlanError


def _keepalived_plan(instances, members, hostvars, host=None, topology="master_backup", top_priority=110,
                     priority_step=10):
    try:
        return resolve_plan(instances, members, hostvars, host, topology, int(top_priority), int(priority_step))
    except PlanError as exc:
        raise AnsibleFilterError(str(exc))


class FilterModule(object):
    def filters(self):
        return {"keepalived_plan": _keepalived_plan}
