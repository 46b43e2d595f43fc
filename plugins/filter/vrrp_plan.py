# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: vrrp_plan
short_description: Give each keepalived instance its state and priority on one host
version_added: 1.0.0
description:
  - Derives C(state) (MASTER or BACKUP), C(priority) and C(master) of every VRRP instance for one host
    from the topology and the order of hosts in the cluster group, so nobody writes them by hand.
  - C(master_backup) makes the first member master of every instance; C(dual_master) makes member
    C(i mod N) master of instance C(i). Priorities fall by O(priority_step) with each step away from the master.
positional: members, host, topology, top_priority, priority_step
options:
  _input:
    description: The instances (C(keepalived_instances)).
    type: list
    elements: dict
    required: true
  members:
    description: Ordered host names of the cluster group.
    type: list
    elements: str
    required: true
  host:
    description: The host to plan for.
    type: str
    required: true
  topology:
    description: How masters are spread.
    type: str
    default: master_backup
    choices: [master_backup, dual_master]
  top_priority:
    description: Priority of the master of an instance.
    type: int
    default: 110
  priority_step:
    description: Priority difference between consecutive members.
    type: int
    default: 10
"""

EXAMPLES = r"""
- name: Show the plan of this host
  ansible.builtin.debug:
    msg: "{{ keepalived_instances | halb.nginx_keepalived.vrrp_plan(groups['load_balancers'], inventory_hostname, 'dual_master') }}"
"""

RETURN = r"""
_value:
  description: The instances, each with C(state), C(priority) and C(master) added.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._vrrp_plan import (
    PlanError,
    expected_owners,
    plan_host,
)


def _vrrp_plan(instances, members, host, topology="master_backup", top_priority=110, priority_step=10):
    try:
        return plan_host(instances, members, host, topology, int(top_priority), int(priority_step))
    except PlanError as exc:
        raise AnsibleFilterError(str(exc))


def _vrrp_expected_owners(instances, members, topology="master_backup"):
    try:
        return expected_owners(instances, members, topology)
    except PlanError as exc:
        raise AnsibleFilterError(str(exc))


class FilterModule(object):
    def filters(self):
        return {
            "vrrp_plan": _vrrp_plan,
            "vrrp_expected_owners": _vrrp_expected_owners,
        }
