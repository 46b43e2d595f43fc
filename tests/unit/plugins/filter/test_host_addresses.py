# -*- coding: utf-8 -*-
# Copyright (c) 2026, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""host_addresses: a cluster's own VRRP sources, from the members' gathered facts (the addresses are those the
dual_stack scenario's load balancers gather: IPv6 adverts come from the link-local ones)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.halb.nginx_keepalived.plugins.filter.host_addresses import host_addresses

LB1 = {"ansible_facts": {"all_ipv4_addresses": ["198.18.74.181", "198.18.74.183"],
                         "all_ipv6_addresses": ["2001:2:0:74::181", "fe80::42:c6ff:fe12:4ab5"]}}
LB2 = {"ansible_facts": {"all_ipv4_addresses": ["198.18.74.182"],
                         "all_ipv6_addresses": ["2001:2:0:74::182", "fe80::42:c6ff:fe12:4ab6"]}}


def test_every_address_of_every_member_ipv4_first_each_once():
    assert host_addresses([LB1, LB2, LB1]) == [
        "198.18.74.181", "198.18.74.183", "198.18.74.182",
        "2001:2:0:74::181", "fe80::42:c6ff:fe12:4ab5", "2001:2:0:74::182", "fe80::42:c6ff:fe12:4ab6"]


def test_a_member_without_facts_adds_nothing():
    assert host_addresses([{}, {"ansible_facts": {}}, LB2]) == [
        "198.18.74.182", "2001:2:0:74::182", "fe80::42:c6ff:fe12:4ab6"]
    assert host_addresses([]) == []
