# -*- coding: utf-8 -*-
"""Cross-variable rules of the keepalived role (filter vrrp_setting_problems / vrrp_setting_warnings)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._vrrp_plan import master_problems
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._vrrp_validate import (
    advert_int_problem,
    notify_script_problems,
    settings_problems,
    settings_warnings,
)

VI_1 = {"name": "VI_1", "virtual_router_id": 51, "virtual_ipaddresses": ["198.18.70.183/24"]}
VI_2 = {"name": "VI_2", "virtual_router_id": 52, "virtual_ipaddresses": ["198.18.70.184/24"]}


def settings(**overrides):
    """The role's defaults for the standard profile, as vars/main.yml hands them to the filter."""
    base = {
        "vrrp_version": 2, "advert_int": 1, "strict": False, "accept": False, "auth_pass_set": True,
        "auth_pass_length": 8, "unicast": False, "nopreempt": False, "preempt_delay": 0, "priority_step": 10,
        "interface": "eth0", "track_process_enabled": False, "track_process_weight": -20, "track_interfaces": [],
        "notify_scripts": {}, "sync_groups": [], "instances": [VI_1, VI_2],
        "check_url": "http://127.0.0.1:8082/halb-health", "check_http_timeout": "0.5", "check_timeout": 5,
        "backend_check_enabled": True, "backend_check_weight": -20, "backend_check_interval": 1,
        "backend_check_targets": ["198.18.70.191:80", "198.18.70.192:80"],
    }
    base.update(overrides)
    return base


def test_defaults_and_fast_profile_are_valid():
    assert settings_problems(settings()) == []
    assert settings_problems(settings(vrrp_version=3, advert_int=0.1, auth_pass_set=False, auth_pass_length=0)) == []


@pytest.mark.parametrize("version,value,ok", [
    (2, 1, True), (2, "1", True), (2, 255, True), (2, 1.0, True), (2, 0, False), (2, 0.5, False), (2, 256, False),
    (2, "1s", False), (3, 0.01, True), (3, 0.1, True), (3, "0.25", True), (3, 40.95, True), (3, 0.005, False),
    (3, 41, False), (3, 0.125, False), (3, 0, False),
])
def test_advert_int_by_version(version, value, ok):
    assert (advert_int_problem("keepalived_advert_int", value, version) is None) is ok


def test_password_is_required_with_v2_and_refused_with_v3_and_strict():
    assert "there is no default password" in settings_problems(settings(auth_pass_set=False, auth_pass_length=0))[0]
    assert "1 to 8 characters" in settings_problems(settings(auth_pass_length=9))[0]
    v3 = settings_problems(settings(vrrp_version=3, advert_int=1))
    assert v3 == [v3[0]] and "keepalived_vrrp_version is 3" in v3[0]
    strict = settings_problems(settings(strict=True, accept=True))
    assert strict == [strict[0]] and "keepalived_vrrp_strict is on" in strict[0]


def test_strict_mode_conflicts():
    base = dict(strict=True, accept=True, auth_pass_set=False, auth_pass_length=0)
    assert settings_problems(settings(**base)) == []
    assert "forbids unicast peers" in settings_problems(settings(unicast=True, **base))[0]
    assert "strict mode forbids preempt_delay" in settings_problems(settings(preempt_delay=5, **base))[0]
    v6 = dict(VI_1, virtual_ipaddresses=["2001:db8::10/64"])
    assert "IPv6" in settings_problems(settings(instances=[v6], **base))[0]
    assert settings_problems(settings(instances=[v6], vrrp_version=3, **base)) == []


def test_strict_without_accept_is_a_warning_not_a_problem():
    strict = settings(strict=True, auth_pass_set=False)
    assert settings_problems(strict) == []
    assert "keepalived_vrrp_accept" in settings_warnings(strict)[0]
    assert settings_warnings(settings(strict=True, accept=True)) == []
    assert settings_warnings(settings()) == []


def test_preempt_delay_rules():
    assert settings_problems(settings(preempt_delay=30)) == []
    assert "nopreempt is on" in settings_problems(settings(preempt_delay=30, nopreempt=True))[0]
    assert "0..1000" in settings_problems(settings(preempt_delay=1001))[0]
    instance = dict(VI_1, preempt_delay=5, nopreempt=True)
    assert "keepalived_instances[0] (VI_1).preempt_delay is 5, but nopreempt is on" in settings_problems(
        settings(instances=[instance]))[0]
    # An instance that turns nopreempt off may delay its preemption although the default is nopreempt.
    assert settings_problems(settings(nopreempt=True, instances=[dict(VI_1, preempt_delay=5, nopreempt=False)])) == []


def test_weights_that_cannot_move_the_vip_are_refused():
    assert settings_problems(settings(track_process_enabled=True, track_process_weight=-20)) == []
    assert settings_problems(settings(track_process_enabled=True, track_process_weight=0)) == []
    assert "priority gap" in settings_problems(settings(track_process_enabled=True, track_process_weight=-10))[0]
    assert "priority gap" in settings_problems(settings(track_interfaces=[{"name": "eth1", "weight": 5}]))[0]
    assert "-253..253" in settings_problems(settings(track_interfaces=[{"name": "eth1", "weight": -300}]))[0]
    assert settings_problems(settings(track_interfaces=["eth1", {"name": "eth2", "weight": -30}])) == []


def test_the_recipes_check_weight_trap_is_refused():
    # The recipe's -5 with priorities 110/100 (step 10) never moves the VIP; 0 (FAULT) and -20 do.
    problems = settings_problems(settings(check_enabled=True, check_weight=-5))
    assert problems == ["keepalived_check_weight is -5 but the priority gap to the next member (keepalived_priority_step) "
                        "is 10: a failing check would never move the VIP. Use a weight whose absolute value is greater "
                        "than 10, or 0 for FAULT [vrrp-weight-moves-vip]"]
    assert settings_problems(settings(check_enabled=True, check_weight=0)) == []
    assert settings_problems(settings(check_enabled=True, check_weight=-20)) == []
    assert settings_problems(settings(check_enabled=False, check_weight=-5)) == []


def test_tracking_the_own_interface_is_refused():
    problems = settings_problems(settings(track_interfaces=["eth0"]))
    assert len(problems) == 2 and all("own interface" in p for p in problems)
    assert settings_problems(settings(instances=[dict(VI_1, interface="eth1", track_interfaces=["eth0"])])) == []


@pytest.mark.parametrize("route,ok", [
    ("198.18.90.0/24 via 198.18.70.1 dev eth0", True), ("default via 198.18.70.1", True),
    ("src 198.18.70.183 198.18.91.0/24 dev eth0", True), ("blackhole 198.18.92.0/24", True),
    ("2001:db8:1::/48 via 2001:db8::1", True), ("via 198.18.70.1", False), ("", False), ("eth0", False),
])
def test_virtual_route_destinations(route, ok):
    problems = settings_problems(settings(instances=[dict(VI_1, virtual_routes=[route])]))
    assert (problems == []) is ok


def test_notify_scripts():
    assert settings_problems(settings(notify_scripts={"master": "/usr/local/bin/to-master"})) == []
    assert "absolute path" in settings_problems(settings(notify_scripts={"fault": "to-fault"}))[0]
    assert "event 'mastre'" in settings_problems(settings(notify_scripts={"mastre": "/bin/true"}))[0]


def test_sync_groups():
    group = {"name": "G1", "instances": ["VI_1", "VI_2"]}
    assert settings_problems(settings(sync_groups=[group])) == []
    # Different masters in one group: refused on the member's model (plugin_utils/member_rules.py, its own test).
    assert "at least two" in settings_problems(settings(sync_groups=[{"name": "G1", "instances": ["VI_1"]}]))[0]
    assert "'VI_9' is not in keepalived_instances" in settings_problems(
        settings(sync_groups=[{"name": "G1", "instances": ["VI_1", "VI_9"]}]))[0]
    twice = settings_problems(settings(sync_groups=[group, {"name": "G2", "instances": ["VI_2", "VI_1"]}]))
    assert any("already in sync group G1" in p for p in twice)


def test_no_message_can_contain_the_password():
    # Only whether a password is set and its length reach the rules.
    assert "auth_pass" not in settings()


def _with(base, **changes):
    """A copy of ``base`` with ``changes``."""
    merged = dict(base)
    merged.update(changes)
    return merged


def test_values_that_land_in_files_are_checked_against_their_syntax():
    problems = settings_problems(settings(router_id="lb 1", script_user="ks ALL=(ALL)", check_service="nginx, /bin/sh",
                                          track_process_name="nginx-worker-process", state_log="log/state.log"))
    assert problems == [
        "keepalived_router_id is 'lb 1'; allowed: 1 to 64 letters, digits, '_', '.', '-' (one word in keepalived.conf "
        "and in its mail subjects) [syntax-router-id]",
        "keepalived_script_user is 'ks ALL=(ALL)'; allowed: a user name: a lower-case letter or '_', then up to 31 "
        "lower-case letters, digits, '_', '-' [syntax-user]",
        "keepalived_check_service is 'nginx, /bin/sh'; allowed: a systemd service name without '.service': letters, "
        "digits, '_', '.', '@', '-' (it goes into a sudo rule, where spaces, ',', ':', '=', '\\', '*' or '?' would let "
        "the script user run more as root) [syntax-unit]",
        "keepalived_state_log is 'log/state.log'; allowed: an absolute path of letters, digits, '_', '.', '@', '+', '-' "
        "separated by '/', without '.' or '..' parts [syntax-path]",
    ]


def test_source_build_settings_are_checked_only_for_the_source_method():
    bad = dict(prefix="/data/../etc", build_dir="/var/cache/b", source_url="file:///k.tgz", version="2.2",
               source_checksum="abc")
    assert settings_problems(settings(install_method="package", **bad)) == []
    assert settings_problems(settings(install_method="source", **bad)) == [
        "keepalived_prefix is '/data/../etc'; allowed: an absolute path of letters, digits, '_', '.', '@', '+', '-' "
        "separated by '/', without '.' or '..' parts [syntax-path]",
        "keepalived_source_url is 'file:///k.tgz'; allowed: an http://, https:// or ftp:// URL with a host and no "
        "spaces, quotes or backslashes [syntax-url]",
        "keepalived_version is '2.2'; allowed: a release X.Y.Z such as 2.2.7 [keepalived-version]",
        "keepalived_source_checksum is 'abc'; allowed: md5:<32 hex digits> or sha256:<64 hex digits> [keepalived-source-checksum]",
    ]


def test_interfaces_must_exist_on_the_host_when_its_facts_list_them():
    vi = dict(VI_1, interface="ens9", track_interfaces=[{"name": "eth1", "weight": -30}])
    problems = settings_problems(settings(host="lb1", host_interfaces=["lo", "eth0", "eth1"], instances=[vi, VI_2],
                                          track_interfaces=["bond0"]))
    assert problems == [
        "keepalived_track_interfaces entry is 'bond0', which lb1 does not have; allowed: one of its interfaces "
        "(eth0, eth1, lo) [keepalived-interface-exists]",
        "keepalived_instances[0] (VI_1).interface is 'ens9', which lb1 does not have; allowed: one of its interfaces "
        "(eth0, eth1, lo) [keepalived-interface-exists]",
    ]
    # Without facts only the syntax is checked.
    assert settings_problems(settings(interface="eth0 dev lo")) == [
        "keepalived_interface is 'eth0 dev lo'; allowed: a Linux interface name: 1 to 15 letters, digits, '_', '.', '-' [syntax-interface]"]


def test_range_errors_name_only_the_wrong_variable():
    ranges = dict(priority_top=110, members=["lb1", "lb2"], host="lb1", check_interval=2, check_timeout=5,
                  check_fall=2, check_rise=2)
    assert settings_problems(settings(**ranges)) == []
    assert settings_problems(settings(**_with(ranges, check_interval=0))) == [
        "keepalived_check_interval is 0; allowed: a whole number of seconds 1..3600 [keepalived-check-range]"]
    assert settings_problems(settings(**_with(ranges, check_rise="x", priority_top=255))) == [
        "keepalived_priority_top is 255; allowed: 2..254 (255 is only for an address owner) [vrrp-priority-top-range]",
        "keepalived_check_rise is 'x'; allowed: a whole number of checks 1..255 [keepalived-check-range]"]
    # A disabled check script is not checked.
    assert settings_problems(settings(**_with(ranges, check_enabled=False, check_interval=0))) == []


@pytest.mark.parametrize("value, ok", [(0, True), (0.001, True), ("0.5", True), (1000, True), (1001, False),
                                       (-1, False), (0.0000001, False), ("often", False)])
def test_garp_and_gna_intervals(value, ok):
    assert (settings_problems(settings(garp_interval=value)) == []) is ok
    assert (settings_problems(settings(gna_interval=value)) == []) is ok


def test_smtp_alert_settings():
    smtp = dict(notification_email=["ops@halb.test"], notification_email_from="lb@halb.test",
                smtp_server="198.18.72.171 25", smtp_connect_timeout=30)
    assert settings_problems(settings(smtp_alert=True, **smtp)) == []
    assert settings_problems(settings(**_with(smtp, smtp_alert=True, smtp_server="mail.halb.test"))) == []
    assert settings_problems(settings(smtp_alert=True)) == [
        "keepalived_smtp_alert is on, but keepalived_smtp_server and keepalived_notification_email and "
        "keepalived_notification_email_from are empty; SMTP alerts need a server, recipients and a sender [keepalived-smtp-alert]"]
    vi = dict(VI_1, smtp_alert=True)
    assert settings_problems(settings(**_with(smtp, instances=[vi, VI_2], notification_email=[]))) == [
        "keepalived_instances[0] (VI_1).smtp_alert is on, but keepalived_notification_email is empty; SMTP alerts "
        "need a server, recipients and a sender [keepalived-smtp-alert]"]
    assert settings_problems(settings(**_with(smtp, smtp_server="198.18.72.171 99999", smtp_connect_timeout=0,
                                              notification_email=["ops@halb.test", "ops at halb"]))) == [
        "keepalived_notification_email[1] is 'ops at halb'; allowed: a mail address local@domain of letters, digits, "
        "'.', '_', '%', '+', '-' [syntax-email]",
        "keepalived_smtp_server is '198.18.72.171 99999'; allowed: an IP address or host name, optionally followed by "
        "a space and a port 1..65535 (e.g. '198.18.72.171 25') [keepalived-smtp-server]",
        "keepalived_smtp_connect_timeout is 0; allowed: a whole number of seconds 1..3600 [keepalived-smtp-connect-timeout]"]


def test_password_characters_are_refused_without_showing_it():
    problems = settings_problems(settings(auth_pass_quotable=False))
    assert problems == ["keepalived_auth_pass contains a double quote, a backslash or a character that is not "
                        "printable ASCII; allowed: printable ASCII without '\"' and '\\' (the password is not shown) [vrrp-auth-pass-characters]"]


def test_unicast_addresses_must_be_distinct_ip_addresses():
    assert settings_problems(settings(unicast=True, unicast_addresses={"lb1": "198.18.72.181",
                                                                       "lb2": "198.18.72.182"})) == []
    assert settings_problems(settings(unicast=True, unicast_addresses={"lb1": "198.18.72.181", "lb2": "198.18.72.181",
                                                                       "lb3": ""})) == [
        "keepalived_unicast_src_ip of lb2 is 198.18.72.181, the same as lb1's; every member needs its own unicast "
        "address [vrrp-unicast-address-unique]",
        "keepalived_unicast_src_ip of lb3 is ''; keepalived_unicast is on, so every member needs its own IP address "
        "(keepalived_unicast_src_ip or a default IPv4 address fact) [vrrp-unicast-address]"]


VI_4 = {"name": "VI_4", "virtual_router_id": 83, "virtual_ipaddresses": ["198.18.83.183/24"]}
VI_6 = {"name": "VI_6", "virtual_router_id": 84, "virtual_ipaddresses": ["2001:2:0:83::183/64"]}
DUAL_STACK = {"instances": [VI_4, VI_6], "unicast": True,
              "unicast_addresses": {"ds-lb1": "198.18.83.181", "ds-lb2": "198.18.83.182"}}
IPV6_MISSING = ("keepalived_unicast_src_ip6 of ds-lb2 is %r; keepalived_unicast is on and an instance has IPv6 VIPs, "
                "so every member needs its own global IPv6 address without a prefix (keepalived_unicast_src_ip6 or a "
                "default IPv6 address fact default_ipv6) [vrrp-unicast-address]")


def test_dual_stack_unicast_needs_an_ipv6_address_per_member():
    good = {"ds-lb1": "2001:2:0:83::181", "ds-lb2": "2001:2:0:83::182"}
    assert settings_problems(settings(unicast_addresses6=good, **DUAL_STACK)) == []
    assert settings_problems(settings(unicast_addresses6=dict(good, **{"ds-lb2": ""}), **DUAL_STACK)) == [
        IPV6_MISSING % ""]


@pytest.mark.parametrize("value", ["198.18.83.182", "2001:2:0:83::182/64", "fe80::1%eth0", "fe80::42:c6ff:fe12:53b6",
                                   "junk"])
def test_an_ipv6_unicast_address_of_the_wrong_form_is_refused(value):
    addresses6 = {"ds-lb1": "2001:2:0:83::181", "ds-lb2": value}
    assert settings_problems(settings(unicast_addresses6=addresses6, **DUAL_STACK)) == [IPV6_MISSING % value]


def test_a_shared_ipv6_unicast_address_is_refused_however_written():
    addresses6 = {"ds-lb1": "2001:2:0:83::181", "ds-lb2": "2001:2:0:83:0:0:0:181"}
    assert settings_problems(settings(unicast_addresses6=addresses6, **DUAL_STACK)) == [
        "keepalived_unicast_src_ip6 of ds-lb2 is 2001:2:0:83:0:0:0:181, the same as ds-lb1's; every member needs its "
        "own unicast address [vrrp-unicast-address-unique]"]


def test_unicast_checks_only_the_families_the_instances_use():
    no_ipv6 = {"ds-lb1": "", "ds-lb2": ""}
    assert settings_problems(settings(unicast=True, unicast_addresses={"lb1": "198.18.72.181", "lb2": "198.18.72.182"},
                                      unicast_addresses6=no_ipv6)) == []
    ipv6_only = dict(DUAL_STACK)
    ipv6_only.update(instances=[VI_6], unicast_addresses={"ds-lb1": ""},
                     unicast_addresses6={"ds-lb1": "2001:2:0:83::181", "ds-lb2": "2001:2:0:83::182"})
    assert settings_problems(settings(**ipv6_only)) == []


def test_an_ipv6_address_is_no_ipv4_unicast_source():
    assert settings_problems(settings(unicast=True, unicast_addresses={"lb1": "198.18.72.181", "lb2": "2001:2::2"})) == [
        "keepalived_unicast_src_ip of lb2 is '2001:2::2'; keepalived_unicast is on, so every member needs its own IP "
        "address (keepalived_unicast_src_ip or a default IPv4 address fact) [vrrp-unicast-address]"]


def test_backend_check_weight_must_move_the_vip_without_fault():
    assert settings_problems(settings(backend_check_weight=20)) == []
    assert settings_problems(settings(backend_check_weight=0)) == [
        "keepalived_backend_check_weight is 0, which would put every load balancer in FAULT when all backends are "
        "down everywhere and nobody would hold the VIPs; use a weight whose absolute value is greater than the "
        "priority gap (10) [keepalived-backend-check-weight]"]
    assert settings_problems(settings(backend_check_weight=-10)) == [
        "keepalived_backend_check_weight is -10 but the priority gap to the next member (keepalived_priority_step) "
        "is 10: a load balancer that reaches no backend would never move the VIP. Use a weight whose absolute value "
        "is greater than 10, or 0 for FAULT [vrrp-weight-moves-vip]"]
    assert settings_problems(settings(backend_check_weight=0, backend_check_enabled=False)) == []


def test_backend_check_targets():
    assert settings_problems(settings(backend_check_targets=["[2001:2::191]:80", "web1.example:8080"])) == []
    assert settings_problems(settings(backend_check_targets=[])) == [
        "keepalived_backend_check_targets is []; give at least one backend as 'address:port' (or turn the backend "
        "check off) [keepalived-backend-check-targets]"]
    bad = ["web1:?", "198.18.70.192", "[198.18.70.1]:80", "198.18.70.192:70000"]
    problems = settings_problems(settings(backend_check_targets=bad))
    assert [p.split(" is ")[0] for p in problems] == ["keepalived_backend_check_targets[%d]" % i for i in range(4)]
    assert "a backend host without nginx_lb_backend_address or gathered facts shows as 'host:?'" in problems[0]


@pytest.mark.parametrize("overrides,variable", [
    ({"check_http_timeout": 0}, "keepalived_check_http_timeout"),
    ({"check_http_timeout": "5"}, "keepalived_check_http_timeout"),
    ({"check_http_timeout": "fast"}, "keepalived_check_http_timeout"),
    ({"check_url": "127.0.0.1:8082/halb-health"}, "keepalived_check_url"),
    ({"check_url": "http://127.0.0.1/a b"}, "keepalived_check_url"),
    ({"backend_check_interval": 0}, "keepalived_backend_check_interval"),
])
def test_http_check_settings(overrides, variable):
    problems = settings_problems(settings(**overrides))
    assert len(problems) == 1 and problems[0].startswith(variable + " is ")


def test_members_leaving_must_have_left_the_group():
    """A member named as leaving is out of the cluster group; each one still in it is named with its index."""
    member = settings(cluster_group="load_balancers", members=["lb1", "lb2"], host="lb1", groups=["all", "load_balancers"])
    assert settings_problems(dict(member, members_leaving=["lb3"])) == []
    assert settings_problems(dict(member, members_leaving=["lb3", "lb2"])) == [
        "keepalived_members_leaving[1] is lb2, which is still in the group load_balancers: a member leaves the cluster "
        "by leaving that group in the inventory; name it here in the run that deploys the inventory without it. "
        "[keepalived-members-leaving]"]


def test_http_timeout_unused_without_http():
    assert settings_problems(settings(check_url="", backend_check_enabled=False, check_http_timeout=0)) == []
    assert settings_problems(settings(check_url="")) == []


def test_membership_instances_and_pid_namespace_are_part_of_the_one_call():
    """The rules validate.yml used to assert in Jinja: host in the cluster group, instances given, process tracking
    only in the initial PID namespace (a container has its own)."""
    member = settings(cluster_group="load_balancers", members=["lb1", "lb2"], host="lb1", groups=["all", "load_balancers"])
    assert settings_problems(member) == []
    assert settings_problems(dict(member, cluster_group="lbs", members=[])) == [
        "keepalived_cluster_group is 'lbs', but lb1 is not in that group (groups: all, load_balancers). Run the role "
        "on the members of that group. [keepalived-cluster-group]"]
    assert settings_problems(dict(member, instances=[])) == [
        "keepalived_instances is empty: define at least one instance with name, virtual_router_id and "
        "virtual_ipaddresses. [vrrp-instances-empty]"]
    tracking = dict(member, track_process_enabled=True, track_process_name="nginx", check_service="nginx")
    assert settings_problems(dict(tracking, pid_namespace="pid:[4026531836]")) == []
    assert settings_problems(dict(tracking, pid_namespace="pid:[4026532291]")) == [
        "keepalived_track_process_enabled is true, but lb1 runs in a PID namespace of its own (pid:[4026532291], a "
        "container): the kernel sends process events only to the initial PID namespace, so vrrp_track_process would "
        "count nginx as missing forever and demote this node. Set keepalived_track_process_enabled to false here; "
        "the check script still tracks nginx. [keepalived-track-process-namespace]"]
    # Tracking off: the namespace does not matter (the stat task is skipped and reports 'unknown').
    assert settings_problems(dict(member, pid_namespace="unknown")) == []


def _stat_read(name, key, path):
    """One result of the validation play's stat loop over keepalived_notify_scripts, from a captured stat output."""
    fixture = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "stat", name + ".json")
    with open(fixture) as handle:
        read = json.load(handle)
    read["item"] = {"key": key, "value": path}
    return read


def test_notify_scripts_that_keepalived_can_run_as_root_have_no_problem():
    reads = [_stat_read("root-executable", "notify", "/usr/bin/env")]
    assert notify_script_problems("lb1", reads) == []
    assert settings_problems(settings(notify_reads=reads)) == []


def test_a_missing_notify_script_is_refused_before_the_deploy_naming_host_key_and_path():
    reads = [_stat_read("missing", "notify_master", "/nonexistent/halb-notify")]
    assert settings_problems(settings(host="lb2", notify_reads=reads)) == [
        "keepalived_notify_scripts.notify_master on lb2: /nonexistent/halb-notify does not exist (keepalived runs it "
        "as root: install it before the deploy) [keepalived-notify-script-exists]"]
    assert notify_script_problems("lb2", reads) == [
        "keepalived_notify_scripts.notify_master on lb2: /nonexistent/halb-notify does not exist (keepalived runs it "
        "as root: install it before the deploy) [keepalived-notify-script-exists]"]


@pytest.mark.parametrize("fixture, owner, mode", [("root-not-executable", "root", "0644"),
                                                  ("nobody-group-writable", "nobody", "0775")])
def test_a_notify_script_root_could_not_trust_or_run_is_refused(fixture, owner, mode):
    problems = notify_script_problems("lb1", [_stat_read(fixture, "notify", "/usr/local/bin/notify")])
    assert problems == ["keepalived_notify_scripts.notify on lb1: /usr/local/bin/notify is owned by %s with mode %s "
                        "(allowed: a file of root, writable by root only, executable) [keepalived-notify-script-owner]" % (owner, mode)]


def test_an_instance_master_outside_the_cluster_is_a_problem_not_a_crash():
    planned = settings(members=["lb1", "lb2"], host="lb1", cluster_group="load_balancers", topology="master_backup",
                       priority_top=110, instances=[VI_1, dict(VI_2, master="lb3")])
    assert settings_problems(planned) == [
        "keepalived_instances[1] (VI_2): master is 'lb3', which is not a member of the cluster group load_balancers "
        "(members: lb1, lb2) [vrrp-instance-master]"]
    assert master_problems([VI_1, dict(VI_2, master="lb2")], ["lb1", "lb2"], "load_balancers") == []
