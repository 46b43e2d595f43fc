# -*- coding: utf-8 -*-
# Copyright (c) 2026, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""system_state's parsers, fed the output of dpkg-query, rpm and systemctl captured on the lab's containers."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.halb.nginx_keepalived.plugins.filter.package_query import package_query, package_versions
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._system_state import (
    package_query_argv,
    parse_dpkg_query,
    parse_package_query,
    parse_rpm_query,
    parse_systemctl_show,
    unit_name,
)

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "system_state")


def fixture(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


def test_installed_packages_have_their_version_and_the_rest_none():
    # lb1: keepalived built from source (dpkg never heard of it), nftables known but not installed ("un").
    packages = parse_dpkg_query(fixture("dpkg_query_lb1.txt"), ["nginx", "curl", "keepalived", "nftables"])
    assert packages == {"nginx": "1.22.1-9+deb12u9", "curl": "7.88.1-10+deb12u15", "keepalived": None,
                        "nftables": None}


def test_a_removed_package_is_missing():
    # `apt-get remove curl` on lb2: dpkg-query no longer lists it.
    packages = parse_dpkg_query(fixture("dpkg_query_lb2_curl_removed.txt"), ["sudo", "curl"])
    assert packages == {"sudo": "1.9.13p3-1+deb12u4", "curl": None}


def test_config_files_only_half_installed_and_reinstall_required_are_not_installed():
    text = "a\trc \t1.0\nb\tiH \t1.0\nc\tiiR\t1.0\nd\thi \t2.0\ne\tiW \t3.0\n"
    assert parse_dpkg_query(text, ["a", "b", "c", "d", "e"]) == {"a": None, "b": None, "c": None, "d": "2.0",
                                                                 "e": "3.0"}


def test_rpm_reports_missing_packages_in_words():
    assert parse_rpm_query(fixture("rpm_query_missing.txt"), ["bash", "nginx"]) == {"bash": None, "nginx": None}
    assert parse_rpm_query("nginx\t1.20.1-14.el9\n", ["nginx"]) == {"nginx": "1.20.1-14.el9"}


def test_units_running_enabled_and_not_found():
    units = parse_systemctl_show(fixture("systemctl_show_lb1.txt"), ["keepalived", "nginx", "halb-vrrp-firewall"])
    assert units["keepalived"] == {"loaded": True, "active": True, "enabled": True, "active_state": "active",
                                   "unit_file_state": "enabled"}
    assert units["nginx"]["active"] and units["nginx"]["enabled"]
    assert units["halb-vrrp-firewall"] == {"loaded": False, "active": False, "enabled": False,
                                           "active_state": "inactive", "unit_file_state": ""}


def test_a_stopped_and_disabled_unit_is_neither_active_nor_enabled():
    # `systemctl disable --now nginx` on web2.
    units = parse_systemctl_show(fixture("systemctl_show_web2_stopped.txt"), ["nginx.service"])
    assert units["nginx.service"]["loaded"]
    assert not units["nginx.service"]["active"]
    assert not units["nginx.service"]["enabled"]
    assert units["nginx.service"]["unit_file_state"] == "disabled"


def test_unit_names_get_their_suffix():
    assert unit_name("nginx") == "nginx.service"
    assert unit_name("halb-vrrp.timer") == "halb-vrrp.timer"


def test_one_query_command_and_parser_per_package_manager():
    # The keepalived role's installed.yml runs this command inside its own (filter package_query) and reads its
    # output with the same parser as system_state (filter package_versions).
    assert package_query_argv("apt", ["nginx"]) == ["dpkg-query", "-W", "-f=${Package}\\t${db:Status-Abbrev}\\t${Version}\\n",
                                                    "nginx"]
    assert package_query_argv("dnf", ["nginx"])[:2] == ["rpm", "-q"]
    assert parse_package_query("apt", fixture("dpkg_query_lb1.txt"), ["nginx", "keepalived"]) == {
        "nginx": "1.22.1-9+deb12u9", "keepalived": None}
    assert parse_package_query("dnf", fixture("rpm_query_missing.txt"), ["keepalived"]) == {"keepalived": None}
    assert package_query("apt", ["keepalived"]) == "dpkg-query -W '-f=${Package}\\t${db:Status-Abbrev}\\t${Version}\\n' keepalived"
    assert package_versions("apt", ["curl"], fixture("dpkg_query_lb1.txt")) == {"curl": "7.88.1-10+deb12u15"}
