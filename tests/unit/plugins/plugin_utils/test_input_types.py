# -*- coding: utf-8 -*-
"""The type of every inventory value against the roles' argument specs, and control characters
(plugin_utils/input_types.py), on the real specs of the roles."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import yaml

from ansible_collections.halb.nginx_keepalived.plugins.plugin_utils.input_types import input_problems

ROLES = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "roles")


def _options(*roles):
    options = {}
    for role in roles:
        with open(os.path.join(ROLES, role, "meta", "argument_specs.yml")) as handle:
            options.update(yaml.safe_load(handle)["argument_specs"]["main"]["options"])
    return options


LB = _options("nginx_lb", "keepalived")
WEB = _options("webserver")


def _check(given, options=None):
    return input_problems("lb1", given, LB if options is None else options)


def test_valid_values_of_every_shape():
    assert _check({
        "nginx_lb_listen_port": "8080", "nginx_lb_health_enabled": "yes", "keepalived_advert_int": "0.5",
        "keepalived_priority_step": 10, "keepalived_vrrp_strict": False, "keepalived_check_http_timeout": 1,
        "keepalived_version": 2.3, "keepalived_notify_scripts": {"master": "/usr/local/bin/x"},
        "keepalived_instances": [{"name": "VI_1", "virtual_router_id": "51", "virtual_ipaddresses": ["198.18.99.183/24"],
                                  "nopreempt": "no", "advert_int": 1, "track_interfaces": [{"eth1": -50}]}],
        "nginx_lb_vhosts": [{"server_names": ["a.example"], "listen_port": 443, "upstream": "u", "default_server": True}],
        "unrelated": "\n",
    }) == []
    assert _check({"keepalived_instances": None}) == []


def test_a_string_where_a_list_belongs_at_every_depth():
    problems = _check({"nginx_lb_tls_protocols": "TLSv1.3",
                       "nginx_lb_upstreams": [{"name": "u", "servers": {"address": "198.18.99.191"}}],
                       "keepalived_instances": [{"name": "VI_1", "virtual_router_id": 51,
                                                 "virtual_ipaddresses": "198.18.99.183/24"}]})
    assert problems == [
        ("input-type", "lb1: keepalived_instances[0].virtual_ipaddresses is a string ('198.18.99.183/24'); wanted a "
                       "list of strings"),
        ("input-type", "lb1: nginx_lb_tls_protocols is a string ('TLSv1.3'); wanted a list of strings"),
        ("input-type", "lb1: nginx_lb_upstreams[0].servers is a mapping ({'address': '198.18.99.191'}); wanted a list "
                       "of mappings"),
    ]


def test_numbers_mappings_and_lists_of_the_wrong_type():
    problems = _check({"nginx_lb_listen_port": "80a", "keepalived_advert_int": [1], "keepalived_interface": {"n": 1},
                       "keepalived_priority_top": 1.5, "keepalived_check_weight": True,
                       "keepalived_sync_groups": [["VI_1"]]})
    assert [p[1].split(";")[0] for p in problems] == [
        "lb1: keepalived_advert_int is a list ([1])",
        "lb1: keepalived_check_weight is a boolean (True)",
        "lb1: keepalived_interface is a mapping ({'n': 1})",
        "lb1: keepalived_priority_top is a number (1.5)",
        "lb1: keepalived_sync_groups[0] is a list (['VI_1'])",
        "lb1: nginx_lb_listen_port is a string ('80a')",
    ]


def test_flags_must_be_yes_no_words():
    problems = _check({"keepalived_unicast": "enable", "keepalived_instances": [
        {"name": "VI_1", "virtual_router_id": 51, "virtual_ipaddresses": ["198.18.99.183/24"], "smtp_alert": "sure"}],
        "nginx_lb_reuseport": 2})
    assert problems == [
        ("input-bool-word", "lb1: keepalived_instances[0].smtp_alert is 'sure', which is not a yes/no word; allowed: "
                            "true/false, yes/no, on/off, 1/0"),
        ("input-bool-word", "lb1: keepalived_unicast is 'enable', which is not a yes/no word; allowed: true/false, "
                            "yes/no, on/off, 1/0"),
        ("input-type", "lb1: nginx_lb_reuseport is a number (2); wanted a boolean (true/false or yes/no)"),
    ]


def test_control_characters_anywhere_but_a_page():
    problems = _check({"keepalived_check_restart_sec": "0\nExecStartPre=/bin/true",
                       "nginx_lb_vhosts": [{"server_names": ["a\tb"], "listen_port": 80, "upstream": "u"}],
                       "keepalived_notify_scripts": {"mas\x00ter": "/x", "backup": "/y\x1b[0m"}})
    assert [p[0] for p in problems] == ["input-control-character"] * 4
    assert "keepalived_check_restart_sec holds a control character (a newline at position 1)" in problems[0][1]
    assert "keepalived_notify_scripts holds a control character (a NUL at position 3)" in problems[1][1]
    assert "keepalived_notify_scripts.backup holds a control character (U+001B at position 2)" in problems[2][1]
    assert "nginx_lb_vhosts[0].server_names[0] holds a control character (a tab at position 1)" in problems[3][1]
    page = {"webserver_page_content": "<h1>x</h1>\n\t<p>y</p>\n",
            "webserver_sites": [{"name": "s", "port": 80, "page_content": "a\nb"}]}
    assert input_problems("web1", page, WEB) == []
    assert [p[0] for p in input_problems("web1", {"webserver_page_content": "a\x00b"}, WEB)] == ["input-control-character"]


def test_secrets_are_never_shown():
    problems = _check({"keepalived_auth_pass": "pa\nss"}) + _check({"keepalived_auth_pass": ["pass1"]})
    assert problems == [
        ("input-control-character", "lb1: keepalived_auth_pass holds a control character (a newline at position 2) in "
                                    "the secret; every value lands in a configuration file, a unit or a script, where "
                                    "it would start a new line or directive"),
        ("input-type", "lb1: keepalived_auth_pass is a list; wanted a string"),
    ]
    assert "pass" not in " ".join(p[1].replace("keepalived_auth_pass", "") for p in problems)


def test_a_value_outside_the_choices_names_its_path_and_the_choices():
    assert _check({"keepalived_topology": "master_bakcup", "keepalived_vrrp_version": "3",
                   "nginx_lb_tls_protocols": ["TLSv1.2", "TLSv13"],
                   "nginx_lb_upstreams": [{"name": "backend", "method": "leastconn"}]}) == [
        ("input-choice", "lb1: keepalived_topology is 'master_bakcup'; allowed: master_backup, dual_master"),
        ("input-choice", "lb1: nginx_lb_tls_protocols[1] is 'TLSv13'; allowed: TLSv1, TLSv1.1, TLSv1.2, TLSv1.3"),
        ("input-choice", "lb1: nginx_lb_upstreams[0].method is 'leastconn'; allowed: round_robin, least_conn, ip_hash, "
                         "hash"),
    ]
    assert _check({"keepalived_vrrp_version": 4}) == [("input-choice", "lb1: keepalived_vrrp_version is 4; allowed: 2, 3")]


def test_an_unknown_or_missing_option_of_a_list_element_names_its_index_and_the_options():
    instance = {"name": "VI_1", "virtual_router_id": 51, "virtual_ipaddresses": ["198.18.99.183/24"], "state": "BACKUP"}
    assert _check({"keepalived_instances": [instance]}) == [(
        "input-unknown-option", "lb1: keepalived_instances[0] has option 'state' ('BACKUP'), which is not one of its "
        "options; allowed: advert_int, interface, master, name, nopreempt, preempt_delay, smtp_alert, track_interfaces, "
        "virtual_ipaddresses, virtual_router_id, virtual_routes")]
    assert _check({"nginx_lb_upstreams": [{"name": "backend", "servers": [{"port": 80}]}]}) == [
        ("input-required-option", "lb1: nginx_lb_upstreams[0].servers[0] lacks option address, which is required")]


def test_an_unknown_option_of_a_secret_is_not_shown():
    options = {"secrets": {"type": "dict", "no_log": True, "options": {"token": {"type": "str"}}}}
    assert _check({"secrets": {"tokn": "s3cret"}}, options) == [
        ("input-unknown-option", "lb1: secrets has option 'tokn', which is not one of its options; allowed: token")]
