# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Derive VRRP roles (state, priority) from a topology and the order of hosts in a group.

Nobody writes MASTER/BACKUP per host: for each instance a master is chosen by the topology
(``master_backup``: the first member masters every instance; ``dual_master``/``spread``: instance i is
mastered by member i mod N), and every member gets a distinct priority that falls by ``priority_step``
with its distance from the master in the group order (a full priority order for every VIP).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

TOPOLOGIES = ("master_backup", "dual_master")


class PlanError(ValueError):
    """Raised when the inputs cannot describe a valid VRRP plan."""


def master_index(topology, instance_index, member_count):
    """Index (in the member list) of the host that masters instance number ``instance_index``."""
    if topology not in TOPOLOGIES:
        raise PlanError(
            "keepalived_topology is %r; allowed: %s" % (topology, ", ".join(TOPOLOGIES))
        )
    if member_count < 1:
        raise PlanError("the keepalived cluster group has no members")
    if topology == "master_backup":
        return 0
    return instance_index % member_count


def plan_host(instances, members, host, topology="master_backup", top_priority=110, priority_step=10):
    """Return a copy of ``instances`` with ``state``, ``priority`` and ``master`` set for ``host``.

    An instance may name its own ``master`` (a member) to override the topology's choice.
    """
    members = list(members)
    if topology not in TOPOLOGIES:
        raise PlanError(
            "keepalived_topology is %r; allowed: %s" % (topology, ", ".join(TOPOLOGIES))
        )
    if host not in members:
        raise PlanError("host %r is not a member of the keepalived cluster group %r" % (host, members))
    count = len(members)
    lowest = top_priority - (count - 1) * priority_step
    if priority_step < 1 or top_priority > 254:
        raise PlanError(
            "keepalived_priority_top is %d and keepalived_priority_step is %d; the top priority must be at most 254 "
            "and the step at least 1, so that every member gets a distinct priority" % (top_priority, priority_step)
        )
    if lowest < 1:
        raise PlanError(
            "%d members with keepalived_priority_top %d and keepalived_priority_step %d give priority %d; "
            "priorities must stay within 1..254" % (count, top_priority, priority_step, lowest)
        )
    planned = []
    for index, instance in enumerate(instances):
        if instance.get("master"):
            if instance["master"] not in members:
                raise PlanError(
                    "keepalived_instances[%d] (%s) names master %r, which is not a member of %r"
                    % (index, instance.get("name"), instance["master"], members)
                )
            first = members.index(instance["master"])
        else:
            first = master_index(topology, index, count)
        rank = (members.index(host) - first) % count
        item = dict(instance)
        item["master"] = members[first]
        item["priority"] = top_priority - rank * priority_step
        item["state"] = "MASTER" if rank == 0 else "BACKUP"
        planned.append(item)
    return planned


def expected_owners(instances, members, topology="master_backup"):
    """Map every VIP address (without prefix) to the member expected to hold it when all are healthy."""
    owners = {}
    if not members:
        return owners
    for item in plan_host(instances, members, members[0], topology):
        for vip in item.get("virtual_ipaddresses", []):
            owners[str(vip).split("/", maxsplit=1)[0].split()[0]] = item["master"]
    return owners
