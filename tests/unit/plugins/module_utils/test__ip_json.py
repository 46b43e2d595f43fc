# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Parse real iproute2 output captured on Debian 12/13 containers running keepalived."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._ip_json import (
    IpOutputError,
    best_neighbor,
    extra_global_addresses,
    find_addresses,
    interface_macs,
    is_vrrp_vmac,
    parse_ip_addr,
    parse_ip_neigh,
    parse_ip_neigh_text,
    split_address,
)

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "ip")


def load(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


def test_master_holds_one_vip_as_secondary():
    addrs = parse_ip_addr(load("keepalived-2.2.7-debian12-master-fault.addr.json"))
    found = find_addresses(addrs, ["198.19.201.101/24", "198.19.201.102", "198.19.201.103"])
    assert [(a["address"], a["prefix"], a["interface"], a["secondary"]) for a in found] == [
        ("198.19.201.101", 24, "eth0", True)]
    assert found[0]["mac"] == "02:42:c6:13:c9:0b"


def test_master_holds_two_vips_one_slash32():
    addrs = parse_ip_addr(load("keepalived-2.3.3-debian13-backup.addr.json"))
    found = find_addresses(addrs, ["198.19.201.112", "198.19.201.114"])
    assert sorted((a["address"], a["prefix"]) for a in found) == [("198.19.201.112", 24), ("198.19.201.114", 32)]


def test_no_vip_held():
    addrs = parse_ip_addr(load("client.addr.json"))
    assert find_addresses(addrs, ["198.19.201.101"]) == []
    assert extra_global_addresses(addrs) == []


def test_extra_global_addresses_without_dump():
    addrs = parse_ip_addr(load("keepalived-2.3.3-debian13-backup.addr.json"))
    assert sorted(a["address"] for a in extra_global_addresses(addrs)) == ["198.19.201.112", "198.19.201.114"]
    primary = [a for a in addrs if a["primary"]]
    assert [a["address"] for a in primary] == ["198.19.201.14"]


def test_interface_macs():
    macs = interface_macs(load("keepalived-2.2.7-debian12-backup.addr.json"))
    assert macs["eth0"] == "02:42:c6:13:c9:0c"
    assert macs["lo"] == "00:00:00:00:00:00"


def test_neigh_json_reachable_and_incomplete():
    master = parse_ip_neigh(load("client-neigh-show-master-vip.json"), "198.19.201.101")
    assert master == [{"address": "198.19.201.101", "interface": "eth0", "mac": "02:42:c6:13:c9:0b",
                       "state": ["REACHABLE"]}]
    fault = parse_ip_neigh(load("client-neigh-show-fault-vip.json"), "198.19.201.103")
    assert fault[0]["mac"] is None and fault[0]["state"] == ["INCOMPLETE"]
    assert best_neighbor(fault)["mac"] is None
    assert best_neighbor([]) is None


def test_neigh_text_matches_json():
    js = parse_ip_neigh(load("client-neigh.json"))
    text = parse_ip_neigh_text(load("client-neigh.txt"))
    assert js == text
    assert len(js) == 7
    assert parse_ip_neigh_text(load("client-neigh.txt"), "198.19.201.112")[0]["mac"] == "02:42:c6:13:c9:0e"


def test_empty_and_bad_output():
    assert parse_ip_neigh("") == []
    with pytest.raises(IpOutputError):
        parse_ip_addr("[{")
    with pytest.raises(IpOutputError):
        parse_ip_neigh('{"dst": "x"}')


def test_split_address_and_vmac():
    assert split_address("198.18.70.183/24") == ("198.18.70.183", 24)
    assert split_address(" 198.18.70.183 ") == ("198.18.70.183", None)
    with pytest.raises(ValueError):
        split_address("lb1")
    assert is_vrrp_vmac("00:00:5E:00:01:33")
    assert not is_vrrp_vmac("02:42:c6:13:c9:0b")
    assert not is_vrrp_vmac(None)


# Dual stack (molecule/dual_stack, keepalived 2.2.7 on Debian 12): `ip -j -6 addr` of lb2 holding the IPv6 VIP
# after lb1's keepalived stopped, of lb1 then, and the client's `ip -j -6 neigh` with the VIP's entry.
VIP6 = "2001:2:0:83::183"
LB2_MAC = "02:42:c6:12:53:b6"


def test_ipv6_vip_held_is_found_with_its_prefix():
    addrs = parse_ip_addr(load("dualstack-keepalived-2.2.7-debian12-lb2-master.addr6.json"))
    found = find_addresses(addrs, [VIP6 + "/64"])
    assert [(a["address"], a["prefix"], a["family"], a["interface"], a["scope"]) for a in found] == [
        (VIP6, 64, "inet6", "eth0", "global")]
    assert find_addresses(addrs, ["2001:2:0:83:0:0:0:183"]) == found


def test_ipv6_vip_is_no_primary_address_although_listed_first():
    addrs = parse_ip_addr(load("dualstack-keepalived-2.2.7-debian12-lb2-master.addr6.json"))
    assert [a["address"] for a in addrs if a["interface"] == "eth0"][0] == VIP6
    assert [a["address"] for a in addrs if a["primary"]] == ["2001:2:0:83::182"]
    assert [a["address"] for a in extra_global_addresses(addrs)] == [VIP6]


def test_ipv6_vip_not_held_by_the_stopped_master():
    addrs = parse_ip_addr(load("dualstack-keepalived-2.2.7-debian12-lb1-stopped.addr6.json"))
    assert find_addresses(addrs, [VIP6]) == []
    assert extra_global_addresses(addrs) == []
    assert [a["address"] for a in addrs if a["primary"]] == ["2001:2:0:83::181"]


def test_ipv6_neighbour_entry_of_the_vip():
    entries = parse_ip_neigh(load("dualstack-client-neigh6.json"), VIP6 + "/64")
    assert entries == [{"address": VIP6, "interface": "eth0", "mac": LB2_MAC, "state": ["DELAY"]}]
    assert best_neighbor(entries) == entries[0]
    assert parse_ip_neigh(load("dualstack-client-neigh6-vip-lb2.json")) == entries
    assert len(parse_ip_neigh(load("dualstack-client-neigh6.json"))) == 2
