# -*- coding: utf-8 -*-
# Copyright (c) 2026, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""inventory_clusters and roll_waves: the clusters of an inventory (molecule/fleet's groups and variables) and the
waves a rolling deploy takes them in (run plans in the shape the keepalived role's plan publishes)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.halb.nginx_keepalived.plugins.filter.clusters import inventory_clusters, roll_waves

# molecule/fleet: three clusters, fleet_b and fleet_c share a backend group.
GROUPS = {
    "load_balancers": ["fa-lb1", "fa-lb2", "fb-lb1", "fb-lb2", "fc-lb1", "fc-lb2"],
    "webservers": ["fl-web1", "fl-web2", "fl-web3"],
    "fleet_a": ["fa-lb1", "fa-lb2"], "fleet_b": ["fb-lb1", "fb-lb2"], "fleet_c": ["fc-lb1", "fc-lb2"],
    "fleet_a_web": ["fl-web1", "fl-web2"], "fleet_bc_web": ["fl-web3"],
}
HOSTVARS = dict(
    [(host, {"keepalived_cluster_group": "fleet_a", "nginx_lb_backend_group": "fleet_a_web"}) for host in ("fa-lb1", "fa-lb2")]
    + [(host, {"keepalived_cluster_group": "fleet_b", "nginx_lb_backend_group": "fleet_bc_web"}) for host in ("fb-lb1", "fb-lb2")]
    + [(host, {"keepalived_cluster_group": "fleet_c", "nginx_lb_backend_group": "fleet_bc_web"}) for host in ("fc-lb1", "fc-lb2")])


def test_each_cluster_with_its_members_and_backends_in_inventory_order():
    assert inventory_clusters(GROUPS, HOSTVARS) == [
        {"name": "fleet_a", "members": ["fa-lb1", "fa-lb2"], "backends": ["fl-web1", "fl-web2"]},
        {"name": "fleet_b", "members": ["fb-lb1", "fb-lb2"], "backends": ["fl-web3"]},
        {"name": "fleet_c", "members": ["fc-lb1", "fc-lb2"], "backends": ["fl-web3"]},
    ]


def test_a_single_cluster_inventory_is_the_load_balancers_group_with_the_webservers():
    groups = {"load_balancers": ["lb1", "lb2"], "webservers": ["web1", "web2"]}
    assert inventory_clusters(groups, {"lb1": {}, "lb2": {}}) == [
        {"name": "load_balancers", "members": ["lb1", "lb2"], "backends": ["web1", "web2"]}]


def test_no_load_balancer_no_cluster():
    assert inventory_clusters({"webservers": ["web1"]}, {}) == []
    assert inventory_clusters({"load_balancers": []}, {}) == []


def plan(host, cluster, rolls=True, holds=False):
    return {"host": host, "cluster": cluster, "interrupt_reasons": ["restart requested"] if rolls else [],
            "self": {"host": host, "vips": [{"address": "198.18.87.10"}] if holds else []}}


def test_one_member_of_each_cluster_per_wave_idle_members_before_holders():
    plans = [plan("fa-lb1", "fleet_a", holds=True), plan("fa-lb2", "fleet_a"),
             plan("fb-lb1", "fleet_b", holds=True), plan("fb-lb2", "fleet_b"),
             plan("fc-lb1", "fleet_c", holds=True), plan("fc-lb2", "fleet_c", holds=True)]
    assert roll_waves(plans) == {"fa-lb2": 1, "fa-lb1": 2, "fb-lb2": 1, "fb-lb1": 2, "fc-lb1": 1, "fc-lb2": 2}


def test_members_that_only_reload_take_no_wave_and_leave_no_gap():
    plans = [plan("fa-lb1", "fleet_a", holds=True), plan("fa-lb2", "fleet_a", rolls=False),
             plan("fb-lb1", "fleet_b", rolls=False), plan("fb-lb2", "fleet_b", rolls=False)]
    assert roll_waves(plans) == {"fa-lb1": 1, "fa-lb2": 0, "fb-lb1": 0, "fb-lb2": 0}


def test_a_three_member_cluster_takes_three_waves_beside_a_pair():
    plans = [plan("lb1", "big", holds=True), plan("lb2", "big"), plan("lb3", "big"),
             plan("x1", "pair", holds=True), plan("x2", "pair")]
    waves = roll_waves(plans)
    assert waves == {"lb2": 1, "lb3": 2, "lb1": 3, "x2": 1, "x1": 2}
    for wave in set(waves.values()):
        clusters = [p["cluster"] for p in plans if waves[p["host"]] == wave]
        assert len(clusters) == len(set(clusters)), "wave %d interrupts two members of one cluster" % wave
