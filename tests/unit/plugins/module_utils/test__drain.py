# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Drain decisions, fed real vrrp_info results captured in molecule/operations (Debian's keepalived 2.2.7):
op-lb1 drained (both instances FAULT), op-lb2 MASTER of both VIPs, a host without keepalived."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._drain import (
    cluster_state,
    drain_refusal,
    drain_value,
    member_state,
)

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "drain")


def load(name, item):
    with open(os.path.join(FIXTURES, name)) as handle:
        result = json.load(handle)
    result["item"] = item
    return result


def slurped(item, text):
    return {"item": item, "content": base64.b64encode(text.encode()).decode()}


def missing(item):
    return {"item": item, "failed": True, "msg": "file not found"}


def test_drain_value_reads_the_switch_and_treats_a_missing_file_as_serving():
    assert drain_value(slurped("a", "1\n")) == "1"
    assert drain_value(slurped("a", "0\n")) == "0"
    assert drain_value(missing("a")) == ""


def test_cluster_state_of_a_drained_member_and_its_master_peer():
    state = cluster_state(
        [load("vrrp_info_2.2.7_drained_fault.json", "op-lb1"), load("vrrp_info_2.2.7_master.json", "op-lb2")],
        [slurped("op-lb1", "1\n"), slurped("op-lb2", "0\n")])
    assert state == [
        {"host": "op-lb1", "running": True, "states": ["FAULT", "FAULT"], "vips": [], "drained": True, "healthy": False},
        {"host": "op-lb2", "running": True, "states": ["MASTER", "MASTER"], "vips": ["198.18.80.183", "198.18.80.184"],
         "drained": False, "healthy": True},
    ]


def test_a_holder_may_not_stop_when_its_only_peer_is_drained():
    state = cluster_state(
        [load("vrrp_info_2.2.7_drained_fault.json", "op-lb1"), load("vrrp_info_2.2.7_master.json", "op-lb2")],
        [slurped("op-lb1", "1\n"), slurped("op-lb2", "0\n")])
    assert drain_refusal(state, "op-lb2", "the systemd unit changes") == (
        "op-lb2 holds 198.18.80.183, 198.18.80.184 and would stop serving (the systemd unit changes), "
        "but no other member could take its VIPs: op-lb1: drained.")
    # The drained member holds nothing: restarting or draining it again is always allowed.
    assert drain_refusal(state, "op-lb1") == ""


def test_a_peer_without_keepalived_cannot_take_over():
    state = [member_state("op-lb2", load("vrrp_info_2.2.7_master.json", "op-lb2"), "0"),
             member_state("op-lb1", load("vrrp_info_not_running.json", "op-lb1"), "")]
    assert state[1]["healthy"] is False and state[1]["drained"] is False
    assert drain_refusal(state, "op-lb2").endswith("no other member could take its VIPs: op-lb1: keepalived not running.")


def test_a_healthy_backup_can_take_over():
    backup = load("vrrp_info_2.2.7_master.json", "op-lb1")
    for instance in backup["instances"]:
        instance["state"] = "BACKUP"
    backup["vips"] = []
    state = [member_state("op-lb2", load("vrrp_info_2.2.7_master.json", "op-lb2"), "0"),
             member_state("op-lb1", backup, "0")]
    assert drain_refusal(state, "op-lb2") == ""


def test_the_only_member_and_an_unknown_host():
    state = [member_state("op-lb2", load("vrrp_info_2.2.7_master.json", "op-lb2"), "0")]
    assert drain_refusal(state, "op-lb2").endswith("could take its VIPs: it is the only member.")
    assert drain_refusal(state, "lb9").startswith("lb9 is not a member")


def test_cluster_state_from_vrrp_info_that_read_the_drain_switch():
    # vrrp_info's drain_file option: one call per member returns the switch as ``drain``.
    results = [dict(load("vrrp_info_2.2.7_drained_fault.json", "op-lb1"), drain="1"),
               dict(load("vrrp_info_2.2.7_master.json", "op-lb2"), drain="0")]
    assert cluster_state(results) == cluster_state(
        [load("vrrp_info_2.2.7_drained_fault.json", "op-lb1"), load("vrrp_info_2.2.7_master.json", "op-lb2")],
        [slurped("op-lb1", "1\n"), slurped("op-lb2", "0\n")])
    assert [m["drained"] for m in cluster_state(results)] == [True, False]
    # A member never drained has no switch file: '' serves.
    assert cluster_state([dict(load("vrrp_info_2.2.7_master.json", "op-lb2"), drain="")])[0]["drained"] is False
