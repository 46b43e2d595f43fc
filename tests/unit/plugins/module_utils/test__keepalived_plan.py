# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The resolved keepalived plan: members, addresses (one fallback rule), peers, states, priorities, VIP owners."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._keepalived_plan import (
    address_family,
    cluster_vips,
    instance_family,
    member_address,
    member_addresses,
    member_instances,
    member_link_locals,
    member_owned_addresses,
    resolve_plan,
    vip_address,
)
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._vrrp_plan import PlanError

VI_1 = {"name": "VI_1", "virtual_router_id": 51, "virtual_ipaddresses": ["198.18.72.183/24"]}
VI_2 = {"name": "VI_2", "virtual_router_id": 52, "virtual_ipaddresses": ["198.18.72.184/24", "2001:2:0:72::184/64"]}
LBS = ["dm-lb1", "dm-lb2"]
FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "ip")


def facts(address):
    """The part of ``setup`` (gather_subset network) the plan reads, as molecule's dual_master containers report it."""
    return {"ansible_facts": {"default_ipv4": {"address": address, "interface": "eth0", "prefix": "24"}}}


HOSTVARS = {"dm-lb1": dict(facts("198.18.72.181"), keepalived_instances=[VI_1, VI_2]),
            "dm-lb2": dict(facts("198.18.72.182"), keepalived_instances=[VI_1, VI_2])}


def test_address_prefers_the_unicast_source_then_the_fact_then_empty():
    assert member_address(dict(facts("198.18.72.181"), keepalived_unicast_src_ip="198.18.72.191")) == "198.18.72.191"
    assert member_address(dict(facts("198.18.72.181"), keepalived_unicast_src_ip="")) == "198.18.72.181"
    assert member_address(dict(facts("198.18.72.181"), keepalived_unicast_src_ip=None)) == "198.18.72.181"
    assert member_address({"ansible_facts": {}}) == ""
    assert member_address({}) == ""


def test_addresses_of_unknown_members_are_empty_not_an_error():
    assert member_addresses(["dm-lb1", "ghost"], HOSTVARS) == {"dm-lb1": "198.18.72.181", "ghost": ""}
    assert member_owned_addresses(["dm-lb1", "ghost"], HOSTVARS) == {"dm-lb1": ["198.18.72.181"], "ghost": []}
    assert member_instances(["dm-lb2", "ghost"], HOSTVARS) == {"dm-lb2": [VI_1, VI_2], "ghost": []}


def test_vip_address_drops_prefix_and_device():
    assert vip_address("198.18.72.183/24 dev eth1") == "198.18.72.183"
    assert vip_address("2001:2:0:72::184/64") == "2001:2:0:72::184"
    assert vip_address("198.18.72.185") == "198.18.72.185"


def test_dual_master_plan_for_the_second_member():
    plan = resolve_plan([VI_1, VI_2], LBS, HOSTVARS, "dm-lb2", "dual_master", 110, 10)
    assert plan["members"] == LBS
    assert plan["addresses"] == {"dm-lb1": "198.18.72.181", "dm-lb2": "198.18.72.182"}
    assert plan["owners"] == {"198.18.72.183": "dm-lb1", "198.18.72.184": "dm-lb2", "2001:2:0:72::184": "dm-lb2"}
    assert [(i["name"], i["master"], i["states"], i["priorities"]) for i in plan["instances"]] == [
        ("VI_1", "dm-lb1", {"dm-lb1": "MASTER", "dm-lb2": "BACKUP"}, {"dm-lb1": 110, "dm-lb2": 100}),
        ("VI_2", "dm-lb2", {"dm-lb1": "BACKUP", "dm-lb2": "MASTER"}, {"dm-lb1": 100, "dm-lb2": 110}),
    ]
    assert plan["instances"][1]["vips"] == ["198.18.72.184", "2001:2:0:72::184"]
    assert [(i["name"], i["state"], i["priority"]) for i in plan["host_instances"]] == [
        ("VI_1", "BACKUP", 100), ("VI_2", "MASTER", 110)]
    assert plan["host"] == "dm-lb2"
    assert plan["unicast_src_ip"] == "198.18.72.182"
    assert plan["unicast_peers"] == ["198.18.72.181"]


def test_master_backup_plan_of_three_members_keeps_group_order_for_peers_and_priorities():
    members = ["lb1", "lb2", "lb3"]
    hostvars = {"lb1": facts("198.18.76.181"), "lb2": dict(facts("198.18.76.182"), keepalived_unicast_src_ip="10.0.0.2"),
                "lb3": facts("198.18.76.183")}
    plan = resolve_plan([VI_1], members, hostvars, "lb3", "master_backup", 200, 50)
    assert plan["owners"] == {"198.18.72.183": "lb1"}
    assert plan["instances"][0]["priorities"] == {"lb1": 200, "lb2": 150, "lb3": 100}
    assert plan["instances"][0]["states"] == {"lb1": "MASTER", "lb2": "BACKUP", "lb3": "BACKUP"}
    assert plan["unicast_peers"] == ["198.18.76.181", "10.0.0.2"]
    assert plan["unicast_src_ip"] == "198.18.76.183"


def test_an_instance_naming_its_master_overrides_the_topology():
    plan = resolve_plan([dict(VI_1, master="dm-lb2")], LBS, HOSTVARS, topology="master_backup")
    assert plan["owners"] == {"198.18.72.183": "dm-lb2"}
    assert plan["instances"][0]["states"] == {"dm-lb1": "BACKUP", "dm-lb2": "MASTER"}


def test_without_a_host_the_plan_has_no_host_part_and_every_member_is_a_peer():
    plan = resolve_plan([VI_1], LBS, HOSTVARS)
    assert plan["host"] is None
    assert plan["host_instances"] == []
    assert plan["unicast_src_ip"] == ""
    assert plan["unicast_peers"] == ["198.18.72.181", "198.18.72.182"]


@pytest.mark.parametrize("kwargs, message", [
    ({"members": []}, "the keepalived cluster group has no members"),
    ({"host": "web1"}, "host 'web1' is not a member of the keepalived cluster group"),
    ({"topology": "spread"}, "keepalived_topology is 'spread'; allowed: master_backup, dual_master"),
    ({"top_priority": 255}, "keepalived_priority_top is 255; allowed: 2..254"),
    ({"priority_step": 200}, "the last of 2 members would get priority -90"),
])
def test_inputs_that_give_no_plan_are_refused_with_the_validation_wording(kwargs, message):
    args = dict({"members": LBS, "host": None, "topology": "master_backup", "top_priority": 110,
                 "priority_step": 10}, **kwargs)
    with pytest.raises(PlanError, match=message.replace("(", r"\(").replace(".", r"\.")):
        resolve_plan([VI_1], args.pop("members"), HOSTVARS, **args)


# Dual stack (molecule/dual_stack): one instance per address family.
VI_4 = {"name": "VI_4", "virtual_router_id": 83, "virtual_ipaddresses": ["198.18.83.183/24"]}
VI_6 = {"name": "VI_6", "virtual_router_id": 84, "virtual_ipaddresses": ["2001:2:0:83::183/64"]}
DS_LBS = ["ds-lb1", "ds-lb2"]


def dual_stack_facts(fixture, ipv4):
    """The facts ``setup`` gathers on a molecule/dual_stack load balancer, from its captured ``ip -j -6 addr``:
    eth0's IPv6 addresses in the kernel's order, and ``default_ipv6`` the first global one (the kernel's choice,
    which is the VIP on a master); ``ipv4`` is the container's fixed address (molecule.yml)."""
    with open(os.path.join(FIXTURES, fixture)) as handle:
        link = [item for item in json.load(handle) if item["ifname"] == "eth0"][0]
    ipv6 = [{"address": info["local"], "prefix": str(info["prefixlen"]), "scope": info["scope"]}
            for info in link["addr_info"] if info["family"] == "inet6"]
    default6 = [dict(item, interface="eth0") for item in ipv6 if item["scope"] == "global"][0]
    return {"ansible_facts": {"default_ipv4": {"address": ipv4, "interface": "eth0", "prefix": "24"},
                              "default_ipv6": default6, "eth0": {"ipv6": ipv6}}}


# lb2 holds both VIPs (lb1's keepalived is stopped): the kernel lists the IPv6 VIP before lb2's own address.
DS_HOSTVARS = {
    "ds-lb1": dict(dual_stack_facts("dualstack-keepalived-2.2.7-debian12-lb1-stopped.addr6.json", "198.18.83.181"),
                   keepalived_instances=[VI_4, VI_6]),
    "ds-lb2": dict(dual_stack_facts("dualstack-keepalived-2.2.7-debian12-lb2-master.addr6.json", "198.18.83.182"),
                   keepalived_instances=[VI_4, VI_6]),
}


@pytest.mark.parametrize("value, family", [
    ("198.18.83.183/24", 4), ("2001:2:0:83::183/64", 6), ("2001:2:0:83::183", 6), ("198.18.83.183 dev eth0", 4),
    ("not-an-address", None), ("", None), (None, None),
])
def test_address_family(value, family):
    assert address_family(value) == family


def test_instance_family_is_that_of_the_first_address():
    assert instance_family(VI_4) == 4
    assert instance_family(VI_6) == 6
    assert instance_family({"virtual_ipaddresses": ["junk", "2001:2:0:83::184/64"]}) == 6
    assert instance_family({"virtual_ipaddresses": []}) == 4


def test_ipv6_address_prefers_the_variable_over_the_fact():
    lb1 = dict(DS_HOSTVARS["ds-lb1"], keepalived_unicast_src_ip6="2001:2:0:83::a")
    assert member_address(lb1, 6) == "2001:2:0:83::a"
    assert member_address(lb1, 4) == "198.18.83.181"
    assert member_address(DS_HOSTVARS["ds-lb1"], 6) == "2001:2:0:83::181"
    assert member_address({}, 6) == ""


def test_the_masters_default_ipv6_fact_is_its_vip_and_is_replaced_by_its_own_address():
    """On ds-lb2 holding the VIPs the kernel lists the IPv6 VIP first, so setup's default_ipv6 is the VIP; the
    unicast address must stay the host's own (a VIP as source broke idempotence on the second converge)."""
    vips = cluster_vips([VI_4, VI_6])
    assert vips == ["198.18.83.183", "2001:2:0:83::183"]
    assert member_address(DS_HOSTVARS["ds-lb2"], 6) == "2001:2:0:83::183"
    assert member_address(DS_HOSTVARS["ds-lb2"], 6, vips) == "2001:2:0:83::182"
    assert member_address(DS_HOSTVARS["ds-lb2"], 6, ["2001:2:0:83:0::183"]) == "2001:2:0:83::182"
    held_only = {"ansible_facts": {"default_ipv6": {"address": "2001:2:0:83::183", "interface": "eth0"},
                                   "eth0": {"ipv6": [{"address": "2001:2:0:83::183", "scope": "global"}]}}}
    assert member_address(held_only, 6, vips) == ""


def test_dual_stack_plan_gives_each_instance_its_family_source_and_peers():
    plan = resolve_plan([VI_4, VI_6], DS_LBS, DS_HOSTVARS, "ds-lb1")
    assert plan["addresses"] == {"ds-lb1": "198.18.83.181", "ds-lb2": "198.18.83.182"}
    assert plan["addresses6"] == {"ds-lb1": "2001:2:0:83::181", "ds-lb2": "2001:2:0:83::182"}
    assert [(i["name"], i["family"]) for i in plan["instances"]] == [("VI_4", 4), ("VI_6", 6)]
    assert plan["owners"] == {"198.18.83.183": "ds-lb1", "2001:2:0:83::183": "ds-lb1"}
    assert [(i["name"], i["family"], i["state"], i["unicast_src_ip"], i["unicast_peers"])
            for i in plan["host_instances"]] == [
        ("VI_4", 4, "MASTER", "198.18.83.181", ["198.18.83.182"]),
        ("VI_6", 6, "MASTER", "2001:2:0:83::181", ["2001:2:0:83::182"])]
    assert (plan["unicast_src_ip6"], plan["unicast_peers6"]) == ("2001:2:0:83::181", ["2001:2:0:83::182"])
    assert (plan["unicast_src_ip"], plan["unicast_peers"]) == ("198.18.83.181", ["198.18.83.182"])


def test_the_plan_of_the_member_holding_the_vips_is_the_same():
    plan = resolve_plan([VI_4, VI_6], DS_LBS, DS_HOSTVARS, "ds-lb2")
    assert [(i["name"], i["state"], i["unicast_src_ip"], i["unicast_peers"]) for i in plan["host_instances"]] == [
        ("VI_4", "BACKUP", "198.18.83.182", ["198.18.83.181"]),
        ("VI_6", "BACKUP", "2001:2:0:83::182", ["2001:2:0:83::181"])]


def test_ipv4_only_members_have_empty_ipv6_addresses():
    plan = resolve_plan([VI_1], LBS, HOSTVARS, "dm-lb1")
    assert plan["addresses6"] == {"dm-lb1": "", "dm-lb2": ""}
    assert plan["host_instances"][0]["family"] == 4


def test_dual_master_dual_stack_keeps_each_pair_on_its_master():
    """dual_master with two dual-stack VIP pairs: four instances, each naming its master, so that the IPv4 and the
    IPv6 VIP of one service share a master (by position alone VI_6 would go to the second member)."""
    instances = [dict(VI_4, master="ds-lb1"), dict(VI_6, master="ds-lb1"),
                 {"name": "VI_4b", "virtual_router_id": 85, "virtual_ipaddresses": ["198.18.83.184/24"], "master": "ds-lb2"},
                 {"name": "VI_6b", "virtual_router_id": 86, "virtual_ipaddresses": ["2001:2:0:83::184/64"], "master": "ds-lb2"}]
    plan = resolve_plan(instances, DS_LBS, DS_HOSTVARS, "ds-lb2", "dual_master")
    assert plan["owners"] == {"198.18.83.183": "ds-lb1", "2001:2:0:83::183": "ds-lb1",
                              "198.18.83.184": "ds-lb2", "2001:2:0:83::184": "ds-lb2"}
    assert [(i["name"], i["family"], i["state"], i["unicast_src_ip"], i["unicast_peers"])
            for i in plan["host_instances"]] == [
        ("VI_4", 4, "BACKUP", "198.18.83.182", ["198.18.83.181"]),
        ("VI_6", 6, "BACKUP", "2001:2:0:83::182", ["2001:2:0:83::181"]),
        ("VI_4b", 4, "MASTER", "198.18.83.182", ["198.18.83.181"]),
        ("VI_6b", 6, "MASTER", "2001:2:0:83::182", ["2001:2:0:83::181"])]
    by_position = resolve_plan([VI_4, VI_6], DS_LBS, DS_HOSTVARS, topology="dual_master")
    assert by_position["owners"] == {"198.18.83.183": "ds-lb1", "2001:2:0:83::183": "ds-lb2"}


def test_ipv6_vrrp_sources_are_the_members_unicast_addresses_and_link_locals():
    """The VRRP firewall's IPv6 set, from the captured addresses: multicast adverts come from the link-locals."""
    plan = resolve_plan([VI_4, VI_6], DS_LBS, DS_HOSTVARS, "ds-lb1")
    assert plan["vrrp_sources6"] == ["2001:2:0:83::181", "fe80::42:c6ff:fe12:53b5",
                                     "2001:2:0:83::182", "fe80::42:c6ff:fe12:53b6"]
    assert member_link_locals(dict(DS_HOSTVARS["ds-lb1"], keepalived_interface="eth1")) == []
    assert resolve_plan([VI_4], DS_LBS, DS_HOSTVARS, "ds-lb1")["vrrp_sources6"] == []
    assert resolve_plan([VI_1], LBS, HOSTVARS)["vrrp_sources6"] == []
