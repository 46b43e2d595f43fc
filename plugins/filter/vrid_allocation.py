# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: vrid_allocation
short_description: VRIDs for the VRRP instances that leave virtual_router_id out
version_added: 1.3.0
description:
  - C(vrid_inputs) - what one load balancer hands over to the allocation - its cluster, each instance's name, explicit
    VRID (or none), interface, address family (from its VIPs) and L2 segment (its interface's network, from the
    facts), and the VRIDs its last deploy recorded.
  - C(vrid_allocation) - from the inputs every load balancer of the run handed over (C(__keepalived_vrid_inputs)),
    each cluster's VRIDs (C(allocated), cluster to instance to VRID), a note for each VRID taken in this run
    (C(notes)) and each cluster's problems (C(problems), cluster to list). Explicit VRIDs stay; an instance without
    one keeps the VRID its members recorded, else takes the SHA-256 of C(<cluster>/<instance>) modulo 255, plus 1, or the next VRID
    free on its segments in its family. The same on every host of the run.
  - C(vrid_fill) - C(keepalived_instances) with each missing C(virtual_router_id) set from this cluster's allocation.
  - The logic lives in C(plugins/plugin_utils/vrid_allocation.py), unit-tested there.
positional: cluster, interface, facts, recorded, hosts, inventory_hosts
options:
  _input:
    description: C(keepalived_instances) (vrid_inputs, vrid_fill), or C(hostvars) (vrid_allocation).
    type: raw
    required: true
  hosts:
    description: The load balancers of this run, whose C(__keepalived_vrid_inputs) are read (vrid_allocation).
    type: list
    elements: str
  inventory_hosts:
    description: Every load balancer of the inventory; those the run leaves out take no new VRID (vrid_allocation).
    type: list
    elements: str
  cluster:
    description: The cluster's group (vrid_inputs); the cluster's allocated VRIDs, instance to VRID (vrid_fill).
    type: raw
  interface:
    description: The default VRRP interface (C(keepalived_interface)) for instances that name none (vrid_inputs).
    type: str
  facts:
    description: The host's gathered facts (vrid_inputs).
    type: dict
  recorded:
    description: The content of the member's deployed-plan record (JSON text, empty when none) (vrid_inputs).
    type: str
"""

EXAMPLES = r"""
- name: Allocate the VRIDs of every cluster in the run
  ansible.builtin.set_fact:
    __keepalived_vrid_allocation: >-
      {{ hostvars | halb.nginx_keepalived.vrid_allocation(ansible_play_hosts_all, groups['load_balancers']) }}
"""

RETURN = r"""
_value:
  description: The inputs (vrid_inputs), the allocation (vrid_allocation), or the filled instances (vrid_fill).
  type: raw
"""

import json
from collections.abc import Mapping

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._keepalived_plan import instance_family
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._rule_ids import tagged
from ansible_collections.halb.nginx_keepalived.plugins.plugin_utils.keepalived_member import segment
from ansible_collections.halb.nginx_keepalived.plugins.plugin_utils.vrid_allocation import allocate, fill


def vrid_inputs(instances, cluster, interface, facts, recorded=""):
    try:
        record = json.loads(recorded) if recorded else {}
    except ValueError:
        record = {}
    vrids = record.get("vrids") if isinstance(record, Mapping) else None
    handed = []
    for instance in instances or []:
        if not isinstance(instance, Mapping):
            continue
        family = instance_family(instance)
        handed.append({
            "name": instance.get("name"),
            "virtual_router_id": instance.get("virtual_router_id"),
            "interface": instance.get("interface") or interface,
            "family": family,
            "segment": segment(facts or {}, instance.get("interface") or interface, family),
        })
    return {"cluster": str(cluster), "instances": handed, "recorded": vrids if isinstance(vrids, Mapping) else {}}


def vrid_allocation(hostvars, hosts, inventory_hosts):
    inputs = {}
    for host in hosts or []:
        given = hostvars[host].get("__keepalived_vrid_inputs") if host in hostvars else None
        if isinstance(given, Mapping):
            inputs[host] = given
    missing = sorted(set(inventory_hosts or []) - set(hosts or []))
    allocated, notes, problems = allocate(inputs, missing)
    return {"allocated": allocated, "notes": notes,
            "problems": dict((cluster, [tagged(rule, text) for rule, text in listed])
                             for cluster, listed in problems.items())}


def vrid_fill(instances, allocated):
    return fill(instances, allocated or {})


class FilterModule(object):
    def filters(self):
        return {"vrid_inputs": vrid_inputs, "vrid_allocation": vrid_allocation, "vrid_fill": vrid_fill}
