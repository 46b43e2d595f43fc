# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._vrrp_validate import (
    cluster_problems,
    instance_problems,
)

VI_1 = {"name": "VI_1", "virtual_router_id": 51, "virtual_ipaddresses": ["198.18.70.183/24"]}
VI_2 = {"name": "VI_2", "virtual_router_id": 52, "virtual_ipaddresses": ["198.18.70.184/24"]}
MEMBERS = ["lb1", "lb2"]
ADDRESSES = {"lb1": ["198.18.70.181"], "lb2": ["198.18.70.182"]}


def test_valid_instances_have_no_problem():
    assert instance_problems([VI_1, VI_2]) == []
    assert cluster_problems(MEMBERS, {"lb1": [VI_1, VI_2], "lb2": [VI_2, VI_1]}, ADDRESSES) == []


def test_ipv6_and_bare_addresses_are_valid():
    vi6 = {"name": "VI_6", "virtual_router_id": 60, "virtual_ipaddresses": ["2001:db8::10/64", "2001:db8::11"]}
    vi4 = {"name": "VI_4", "virtual_router_id": 61, "virtual_ipaddresses": ["198.18.70.185", "198.18.70.186/32"]}
    assert instance_problems([vi6, vi4]) == []


def test_ipv4_and_ipv6_in_one_instance_are_refused():
    vi = {"name": "VI_6", "virtual_router_id": 60, "virtual_ipaddresses": ["198.18.70.185/24", "2001:db8::10/64"]}
    assert instance_problems([vi]) == [
        "keepalived_instances[0] (VI_6): virtual_ipaddresses mixes IPv4 and IPv6 (entries 0 and 1); allowed: one "
        "address family per instance, so put the IPv6 VIPs in an instance of their own [vrrp-vip-family]"]


def test_duplicate_vrid_on_the_same_interface():
    problems = instance_problems([VI_1, dict(VI_2, virtual_router_id=51)])
    assert problems == [
        "keepalived_instances[1] (VI_2): virtual_router_id 51 is already used by VI_1 on the same interface; "
        "a VRID must be unique per segment [vrrp-vrid-unique]"
    ]


def test_same_vrid_on_different_interfaces_is_allowed():
    assert instance_problems([dict(VI_1, interface="eth0"), dict(VI_2, virtual_router_id=51, interface="eth1")]) == []


def test_vrid_out_of_range_and_not_an_int():
    assert "virtual_router_id is 0; allowed: a whole number 1..255" in instance_problems([dict(VI_1, virtual_router_id=0)])[0]
    assert "virtual_router_id is 256" in instance_problems([dict(VI_1, virtual_router_id=256)])[0]
    assert "virtual_router_id is True" in instance_problems([dict(VI_1, virtual_router_id=True)])[0]


def test_bad_and_duplicate_vips():
    problems = instance_problems([dict(VI_1, virtual_ipaddresses=["198.18.70.300", "198.18.70.183/24"]),
                                  dict(VI_2, virtual_ipaddresses=["198.18.70.183"])])
    assert problems == [
        "keepalived_instances[0] (VI_1): virtual_ipaddresses entry '198.18.70.300' is not an IP address with an optional /prefix [vrrp-vip-address]",
        "keepalived_instances[1] (VI_2): VIP 198.18.70.183 is already used by VI_1; each VIP belongs to one instance [vrrp-vip-unique]",
    ]


def test_empty_vip_list_and_duplicate_name():
    problems = instance_problems([dict(VI_1, virtual_ipaddresses=[]), dict(VI_2, name="VI_1")])
    assert problems[0] == "keepalived_instances[0] (VI_1): virtual_ipaddresses is empty; give at least one address/prefix [vrrp-vips-empty]"
    assert "name 'VI_1' is already used by keepalived_instances[0]" in problems[1]


def test_members_must_agree_on_instances():
    problems = cluster_problems(MEMBERS, {"lb1": [VI_1], "lb2": [dict(VI_1, virtual_router_id=61)]}, ADDRESSES)
    assert problems == [
        "keepalived_instances differ between lb1 and lb2 for instance VI_1: virtual_router_id 51, VIPs 198.18.70.183 "
        "on lb1, virtual_router_id 61, VIPs 198.18.70.183 on lb2 (virtual_router_id and VIPs must be the same on every member) [vrrp-instances-agree]"
    ]


def test_instance_missing_on_a_member():
    problems = cluster_problems(MEMBERS, {"lb1": [VI_1, VI_2], "lb2": [VI_1]}, ADDRESSES)
    assert len(problems) == 1
    assert "for instance VI_2: virtual_router_id 52, VIPs 198.18.70.184 on lb1, missing on lb2" in problems[0]


def test_vip_may_not_be_a_member_address():
    problems = cluster_problems(MEMBERS, {"lb1": [dict(VI_1, virtual_ipaddresses=["198.18.70.182/24"])],
                                          "lb2": [dict(VI_1, virtual_ipaddresses=["198.18.70.182/24"])]}, ADDRESSES)
    assert problems == ["keepalived_instances (VI_1): VIP 198.18.70.182 is the own address of lb2; "
                        "a VIP must be an address no member owns [vrrp-vip-not-own-address]"]


def test_empty_cluster():
    assert cluster_problems([], {}, {}) == ["the keepalived cluster group has no members [keepalived-cluster-group]"]
