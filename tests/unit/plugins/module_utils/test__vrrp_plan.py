# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""VRRP plans: state, priority and master of every instance from the topology and the group order."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._vrrp_plan import (
    PlanError,
    master_index,
    plan_host,
    priority_problems,
)

VI_1 = {"name": "VI_1", "virtual_router_id": 51, "virtual_ipaddresses": ["198.18.70.183/24"]}
VI_2 = {"name": "VI_2", "virtual_router_id": 52, "virtual_ipaddresses": ["198.18.70.184/24"]}
VI_3 = {"name": "VI_3", "virtual_router_id": 53, "virtual_ipaddresses": ["198.18.70.185/24"]}
LBS = ["lb1", "lb2"]
LBS3 = ["lb1", "lb2", "lb3"]


def roles(instances, members, host, topology, top=110, step=10):
    """(name, state, priority, master) per instance, for compact assertions."""
    return [
        (item["name"], item["state"], item["priority"], item["master"])
        for item in plan_host(instances, members, host, topology, top, step)
    ]


def test_master_backup_recipe():
    """The recipe: lb1 MASTER 110, lb2 BACKUP 100."""
    assert roles([VI_1], LBS, "lb1", "master_backup") == [("VI_1", "MASTER", 110, "lb1")]
    assert roles([VI_1], LBS, "lb2", "master_backup") == [("VI_1", "BACKUP", 100, "lb1")]


def test_master_backup_first_member_masters_every_instance():
    assert roles([VI_1, VI_2], LBS, "lb1", "master_backup") == [
        ("VI_1", "MASTER", 110, "lb1"),
        ("VI_2", "MASTER", 110, "lb1"),
    ]
    assert roles([VI_1, VI_2], LBS, "lb2", "master_backup") == [
        ("VI_1", "BACKUP", 100, "lb1"),
        ("VI_2", "BACKUP", 100, "lb1"),
    ]


def test_dual_master_two_nodes_two_vips():
    """The recipe's dual-master: VI_1 lb1 110 / lb2 100, VI_2 lb2 110 / lb1 100."""
    assert roles([VI_1, VI_2], LBS, "lb1", "dual_master") == [
        ("VI_1", "MASTER", 110, "lb1"),
        ("VI_2", "BACKUP", 100, "lb2"),
    ]
    assert roles([VI_1, VI_2], LBS, "lb2", "dual_master") == [
        ("VI_1", "BACKUP", 100, "lb1"),
        ("VI_2", "MASTER", 110, "lb2"),
    ]


def test_dual_master_three_nodes_three_vips():
    """Each node masters one VIP; every VIP has a full, distinct priority order over all nodes."""
    instances = [VI_1, VI_2, VI_3]
    plans = {host: roles(instances, LBS3, host, "dual_master") for host in LBS3}
    assert plans["lb1"] == [("VI_1", "MASTER", 110, "lb1"), ("VI_2", "BACKUP", 90, "lb2"), ("VI_3", "BACKUP", 100, "lb3")]
    assert plans["lb2"] == [("VI_1", "BACKUP", 100, "lb1"), ("VI_2", "MASTER", 110, "lb2"), ("VI_3", "BACKUP", 90, "lb3")]
    assert plans["lb3"] == [("VI_1", "BACKUP", 90, "lb1"), ("VI_2", "BACKUP", 100, "lb2"), ("VI_3", "MASTER", 110, "lb3")]
    for index in range(len(instances)):
        column = [plans[host][index] for host in LBS3]
        assert sorted(item[2] for item in column) == [90, 100, 110]
        assert [item[1] for item in column].count("MASTER") == 1
    for host in LBS3:
        assert [item[1] for item in plans[host]].count("MASTER") == 1


def test_dual_master_more_vips_than_nodes_wraps_round():
    assert master_index("dual_master", 0, 2) == 0
    assert master_index("dual_master", 1, 2) == 1
    assert master_index("dual_master", 2, 2) == 0
    assert master_index("master_backup", 2, 2) == 0


def test_explicit_master_overrides_the_topology():
    pinned = dict(VI_1, master="lb2")
    assert roles([pinned, VI_2], LBS, "lb2", "master_backup") == [
        ("VI_1", "MASTER", 110, "lb2"),
        ("VI_2", "BACKUP", 100, "lb1"),
    ]
    assert roles([pinned, VI_2], LBS, "lb1", "master_backup") == [
        ("VI_1", "BACKUP", 100, "lb2"),
        ("VI_2", "MASTER", 110, "lb1"),
    ]


def test_plan_keeps_the_instance_and_does_not_mutate_it():
    original = dict(VI_1, interface="eth1")
    item = plan_host([original], LBS, "lb1", "master_backup")[0]
    assert item["interface"] == "eth1" and item["virtual_router_id"] == 51
    assert "state" not in original and "priority" not in original


def test_top_priority_and_step_are_used():
    assert roles([VI_1], LBS3, "lb3", "master_backup", top=150, step=25) == [("VI_1", "BACKUP", 100, "lb1")]


def test_unknown_topology_is_refused():
    with pytest.raises(PlanError, match="keepalived_topology is 'active_active'"):
        plan_host([VI_1], LBS, "lb1", "active_active")
    with pytest.raises(PlanError, match="allowed: master_backup, dual_master"):
        plan_host([dict(VI_1, master="lb1")], LBS, "lb1", "spread")


def test_host_not_in_group_is_refused():
    with pytest.raises(PlanError, match="host 'web1' is not a member"):
        plan_host([VI_1], LBS, "web1", "master_backup")


def test_explicit_master_not_in_group_is_refused():
    with pytest.raises(PlanError, match=(r"keepalived_instances\[0\] \(VI_1\): master is 'lb9', which is not a "
                                         r"member of the cluster \(members: lb1, lb2\)")):
        plan_host([dict(VI_1, master="lb9")], LBS, "lb1", "master_backup")


def test_priorities_below_one_are_refused():
    members = ["lb%d" % number for number in range(1, 13)]
    with pytest.raises(PlanError, match="the last of 12 members would get priority 0, and priorities must stay "
                                        "within 1..254"):
        plan_host([VI_1], members, "lb1", "master_backup")
    with pytest.raises(PlanError, match="the last of 2 members would get priority -5,"):
        plan_host([VI_1], LBS, "lb2", "dual_master", 5, 10)
    # 11 members: 110 .. 10 is still valid.
    assert roles([VI_1], members[:11], "lb11", "master_backup") == [("VI_1", "BACKUP", 10, "lb1")]


@pytest.mark.parametrize("top, step, message", [
    (255, 10, "keepalived_priority_top is 255; allowed: 2..254"),
    (1, 10, "keepalived_priority_top is 1; allowed: 2..254"),
    (110, 0, "keepalived_priority_step is 0; allowed: a whole number >= 1"),
    (110, -10, "keepalived_priority_step is -10; allowed"),
])
def test_priorities_out_of_range_or_not_distinct_are_refused(top, step, message):
    with pytest.raises(PlanError, match=re.escape(message)):
        plan_host([VI_1], LBS, "lb1", "master_backup", top, step)
    # One sentence per wrong variable: the other one is not named.
    other = "keepalived_priority_step" if "priority_top" in message else "keepalived_priority_top"
    assert [p for p in priority_problems(top, step, 2) if other in p] == []
