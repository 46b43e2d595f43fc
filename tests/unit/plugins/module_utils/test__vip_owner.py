# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""VIP ownership verdicts, fed real vrrp_info results (keepalived 2.2.7, healthy and split brain)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._vip_owner import (
    decide,
    holders_from_states,
    instance_summary,
)

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "vrrp_info")
MAC_A = "02:42:c6:13:c9:0b"
MAC_B = "02:42:c6:13:c9:0c"
CANDIDATES = [
    {"name": "halb-dev-mod-a", "mac": MAC_A, "hostname": "moda"},
    {"name": "halb-dev-mod-b", "mac": MAC_B, "hostname": "modb"},
]


def load(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return json.load(handle)


def test_healthy_single_owner():
    states = load("results-2.2.7-healthy.json")
    assert holders_from_states("198.19.201.101", states) == ["halb-dev-mod-a"]
    verdict = decide("198.19.201.101", True, MAC_A, "moda", CANDIDATES, states, "halb-dev-mod-a")
    assert verdict["problems"] == []
    assert verdict["owner"] == verdict["owner_by_mac"] == verdict["owner_by_http"] == "halb-dev-mod-a"


def test_instance_summary_states_and_priorities():
    summary = instance_summary("198.19.201.102", load("results-2.2.7-healthy.json"))
    assert [(s["host"], s["instance"], s["state"], s["effective_priority"]) for s in summary] == [
        ("halb-dev-mod-a", "VI_2", "BACKUP", 100), ("halb-dev-mod-b", "VI_2", "MASTER", 150)]


def test_split_brain_detected():
    states = load("results-2.2.7-split-brain.json")
    assert holders_from_states("198.19.201.102/24", states) == ["halb-dev-mod-a", "halb-dev-mod-b"]
    verdict = decide("198.19.201.102", True, MAC_B, "modb", CANDIDATES, states, None)
    assert any(p.startswith("split brain: 2 load balancers hold VIP 198.19.201.102") for p in verdict["problems"])


def test_nobody_answers():
    states = load("results-2.2.7-healthy.json")
    verdict = decide("198.19.201.103", False, None, None, CANDIDATES, states, None)
    assert verdict["owner"] is None
    assert "nobody answers for VIP 198.19.201.103" in verdict["problems"][0]


def test_expected_owner_differs():
    states = load("results-2.2.7-healthy.json")
    verdict = decide("198.19.201.102", True, MAC_B, "modb", CANDIDATES, states, "halb-dev-mod-a")
    assert verdict["problems"] == ["VIP 198.19.201.102 is owned by halb-dev-mod-b, expected halb-dev-mod-a"]


def test_unknown_mac_and_disagreement():
    verdict = decide("198.19.201.101", True, "02:42:00:00:00:99", None, CANDIDATES, None, None)
    assert "belongs to none of the candidates" in verdict["problems"][0]
    verdict = decide("198.19.201.101", True, MAC_A, "modb", CANDIDATES, None, None)
    assert "served the HTTP request" in verdict["problems"][0]


def test_vmac_falls_back_to_header_and_states():
    states = load("results-2.2.7-healthy.json")
    verdict = decide("198.19.201.101", True, "00:00:5e:00:01:65", None, CANDIDATES, states, None)
    assert verdict["vmac"] and verdict["owner"] == "halb-dev-mod-a" and verdict["problems"] == []


def test_answers_but_no_holder():
    states = load("results-2.2.7-healthy.json")
    verdict = decide("198.19.201.103", True, MAC_A, None, CANDIDATES, states, None)
    assert "no load balancer reports holding it" in verdict["problems"][0]


def test_ipv6_vip_owner_from_the_captured_neighbour_entry_and_any_spelling():
    """molecule/dual_stack: lb2 holds the IPv6 VIP; keepalived may print it in another (uncompressed) spelling."""
    with open(os.path.join(FIXTURES, "..", "ip", "dualstack-client-neigh6-vip-lb2.json")) as handle:
        mac = json.load(handle)[0]["lladdr"]
    candidates = [{"name": "ds-lb1", "mac": "02:42:c6:12:53:b5"}, {"name": "ds-lb2", "mac": "02:42:c6:12:53:b6"}]
    states = [
        {"host": "ds-lb1", "vips": [], "keepalived": {"running": False}, "instances": []},
        {"host": "ds-lb2", "vips": [{"address": "2001:2:0:83:0:0:0:183"}], "keepalived": {"running": True},
         "instances": [{"name": "VI_6", "state": "MASTER", "effective_priority": 100,
                        "vips": [{"address": "2001:2:0:83:0:0:0:183"}]}]},
    ]
    verdict = decide("2001:2:0:83::183/64", True, mac, "lb2", candidates, states, "ds-lb2")
    assert (verdict["owner"], verdict["owner_by_mac"], verdict["holders"], verdict["problems"]) == (
        "ds-lb2", "ds-lb2", ["ds-lb2"], [])
    assert [(i["host"], i["instance"], i["state"]) for i in instance_summary("2001:2:0:83::183", states)] == [
        ("ds-lb1", None, None), ("ds-lb2", "VI_6", "MASTER")]
