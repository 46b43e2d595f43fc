# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The monitoring role's input rules: one call, one sentence per wrong variable."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._monitoring_validate import (
    DURATIONS,
    monitoring_problems,
)

VI_1 = {"name": "VI_1", "virtual_router_id": 51, "virtual_ipaddresses": ["198.18.81.183/24"]}


def settings(**overrides):
    """The role's defaults on molecule monitoring's monitor host (mon-client) with two load balancers."""
    base = {"host": "mon-client", "lb_group": "load_balancers", "server_group": "monitoring",
            "lb_members": ["mon-lb1", "mon-lb2"], "server_members": ["mon-client"],
            "monitoring_scrape_interval": "15s", "monitoring_evaluation_interval": "15s",
            "monitoring_probe_timeout": "5s", "monitoring_alert_for_split_brain": "15s", "monitoring_alert_for": "1m",
            "monitoring_flap_window": "10m", "monitoring_alertmanager_group_wait": "10s",
            "monitoring_alertmanager_repeat_interval": "4h", "monitoring_prometheus_retention": "15d",
            "flap_transitions": 4, "collector_interval": 10, "stale_after": 120, "instances": [VI_1],
            "instances_of": "mon-lb1"}
    base.update(overrides)
    return base


def test_the_defaults_are_valid():
    assert monitoring_problems(settings()) == []
    assert sorted(DURATIONS) == sorted(k for k in settings() if k.startswith("monitoring_"))


def test_membership_and_groups():
    assert monitoring_problems(settings(host="web1")) == [
        "web1 is in neither monitoring_lb_group 'load_balancers' nor monitoring_server_group 'monitoring': run the "
        "monitoring role on those groups only. [monitoring-host-group]"]
    assert monitoring_problems(settings(host="mon-lb1", server_members=[])) == [
        "monitoring_server_group 'monitoring' has 0 host(s) and monitoring_lb_group 'load_balancers' 2: both need at "
        "least one. [monitoring-groups-empty]"]


@pytest.mark.parametrize("value, ok", [("500ms", True), ("15s", True), ("4h", True), ("15d", True),
                                       ("15", False), ("15 s", False), ("1h30m", False), ("", False)])
def test_durations(value, ok):
    problems = monitoring_problems(settings(monitoring_flap_window=value))
    assert problems == ([] if ok else [
        "monitoring_flap_window is '%s': a Prometheus duration such as 500ms, 15s, 10m or 4h is required. [monitoring-duration]" % value])


def test_numbers_name_only_the_wrong_variable():
    assert monitoring_problems(settings(flap_transitions=0)) == [
        "monitoring_flap_transitions is 0; allowed: a whole number >= 1. [monitoring-count]"]
    assert monitoring_problems(settings(collector_interval="ten")) == [
        "monitoring_collector_interval is ten; allowed: a whole number >= 1. [monitoring-count]"]
    assert monitoring_problems(settings(stale_after=10)) == [
        "monitoring_stale_after is 10; allowed: a whole number of seconds greater than monitoring_collector_interval "
        "(10). [monitoring-stale-after]"]


def test_instances_must_name_their_vips():
    expected = ("monitoring_keepalived_instances (by default keepalived_instances of mon-lb1) must list instances "
                "with name and virtual_ipaddresses; got %s. [monitoring-instances]")
    assert monitoring_problems(settings(instances=[])) == [expected % []]
    assert monitoring_problems(settings(instances=[VI_1, {"name": "VI_2"}])) == [expected % ["VI_1", "VI_2"]]


def test_every_problem_is_reported_at_once():
    assert len(monitoring_problems(settings(host="web1", monitoring_alert_for="1 minute", flap_transitions=0,
                                            instances=[]))) == 4
