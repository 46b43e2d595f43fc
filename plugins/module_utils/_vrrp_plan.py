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

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._rule_ids import tagged

TOPOLOGIES = ("master_backup", "dual_master")


class PlanError(ValueError):
    """Raised when the inputs cannot describe a valid VRRP plan."""


# Priorities the role may plan: 255 is reserved for an address owner, 0 for a master that resigns.
PRIORITY_MIN = 1
PRIORITY_TOP_MIN = 2
PRIORITY_TOP_MAX = 254

# Rule ids: each refusal below ends with its rule's id in brackets (module_utils/_rule_ids.py).
RULE_PRIORITY_TOP_RANGE = "vrrp-priority-top-range"
RULE_PRIORITY_STEP_RANGE = "vrrp-priority-step-range"
RULE_PRIORITY_STEP_MEMBERS = "vrrp-priority-step-members"
RULE_INSTANCE_MASTER = "vrrp-instance-master"


def priority_problems(top_priority, priority_step, member_count):
    """The range rules of keepalived_priority_top and keepalived_priority_step (the only place they live).

    One sentence per wrong variable; the member count matters because the last member gets
    ``top - (count - 1) * step``, which must stay >= 1 so that every member has a distinct valid priority.
    """
    problems = []
    if not PRIORITY_TOP_MIN <= top_priority <= PRIORITY_TOP_MAX:
        problems.append(tagged(RULE_PRIORITY_TOP_RANGE, "keepalived_priority_top is %d; allowed: %d..%d (255 is only "
                               "for an address owner)" % (top_priority, PRIORITY_TOP_MIN, PRIORITY_TOP_MAX)))
    if priority_step < 1:
        problems.append(tagged(RULE_PRIORITY_STEP_RANGE, "keepalived_priority_step is %d; allowed: a whole number >= "
                               "1, so that every member gets a distinct priority" % priority_step))
    elif not problems and top_priority - (member_count - 1) * priority_step < PRIORITY_MIN:
        problems.append(tagged(RULE_PRIORITY_STEP_MEMBERS, "keepalived_priority_step is %d; with "
                               "keepalived_priority_top %d the last of %d members would get priority %d, and "
                               "priorities must stay within %d..%d"
                               % (priority_step, top_priority, member_count,
                                  top_priority - (member_count - 1) * priority_step, PRIORITY_MIN, PRIORITY_TOP_MAX)))
    return problems


def master_problems(instances, members, group=None):
    """An instance's own ``master`` must be a member of the cluster (else no member would be planned MASTER).

    The only place this rule lives: plan_host refuses such a plan, and the validation reports it before any host
    changes (filter vrrp_setting_problems), naming the cluster group when it is known.
    """
    problems = []
    for index, instance in enumerate(instances or []):
        master = instance.get("master") if isinstance(instance, dict) else None
        if master and master not in members:
            problems.append(tagged(RULE_INSTANCE_MASTER, "keepalived_instances[%d] (%s): master is %r, which is not a "
                                   "member of the cluster%s (members: %s)"
                                   % (index, instance.get("name"), master, " group %s" % group if group else "",
                                      ", ".join(members) or "none")))
    return problems


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
    problems = priority_problems(top_priority, priority_step, len(members))
    if problems:
        raise PlanError("; ".join(problems))
    problems = master_problems(instances, members)
    if problems:
        raise PlanError("; ".join(problems))
    count = len(members)
    planned = []
    for index, instance in enumerate(instances):
        if instance.get("master"):
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
