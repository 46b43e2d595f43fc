# -*- coding: utf-8 -*-
"""The syntax of values that land in keepalived.conf, nginx.conf, the sudo rule and unit files."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._input_syntax import (
    address_family_problems,
    quote_nginx,
    server_name_problem,
    syntax_problem,
    syntax_problems,
    url_host,
)


@pytest.mark.parametrize("kind, good, bad", [
    ("keepalived_name", ["VI_1", "vip.web-1", "a" * 64],
     ["VI 1", "VI_1{", "VI#1", "VI!1", '"VI"', "", "a" * 65, "VI_1\n", "-x"]),
    ("router_id", ["lb1", "dm-lb1", "lb1.halb.test"], ["lb 1", "lb1}", "lb1;"]),
    ("unit", ["nginx", "nginx@main", "php8.2-fpm"],
     ["nginx.service, /bin/sh", "*", "ng?nx", "nginx:x", "a b", "-nginx", "nginx\\x2d", "nginx=1"]),
    ("user", ["keepalived_script", "_ks", "root"], ["Root", "ks ALL=(ALL)", "1ks", "a" * 33, "k:s"]),
    ("interface", ["eth0", "ens3.100", "br-lan", "a" * 15], ["eth0 dev lo", "a" * 16, "..", ".", "eth/0", "eth:0", ""]),
    ("process", ["nginx", "php-fpm8.2"], ["nginx-worker-process", "a b"]),
    ("path", ["/", "/data/apps/keepalived", "/var/log/halb-keepalived/state.log", "/srv/www/"],
     ["data/apps", "/data/../etc", "/data/./x", "/a b", "/a;b", "/a\nb", "//"]),
    ("uri_path", ["/nginx_status", "/"], ["/status { allow all; }", "status", "/a b"]),
    ("nginx_size", ["64k", "1m", "1024", "1G"], ["64 k", "64kb", "1m;", ""]),
    ("nginx_time", ["2s", "500ms", "1h30m", "20", "1y"], ["2 s", "2s; return 200", "2x", "ms", ""]),
    ("header", ["X-Load-Balancer", "X-LB1"], ["X-LB $hostname", "X_LB;", "-X", ""]),
    ("nginx_hash_key", ["$request_uri", "$remote_addr$request_uri", "$host:$uri"], ["$request_uri; server x", "a b"]),
    ("email", ["ops@halb.test", "first.last+tag@example.org"], ["ops at halb.test", "ops@", "a@b c", "a@-b"]),
])
def test_syntax_kinds(kind, good, bad):
    for value in good:
        assert syntax_problem("v", value, kind) is None, value
    for value in bad:
        problem = syntax_problem("v", value, kind)
        assert problem is not None and problem.startswith("v is %r; allowed: " % value), value


def test_non_strings_are_refused_and_none_is_skipped():
    assert syntax_problem("keepalived_router_id", 42, "router_id") == (
        "keepalived_router_id is 42; allowed: 1 to 64 letters, digits, '_', '.', '-' (one word in keepalived.conf "
        "and in its mail subjects) [syntax-router-id]")
    assert syntax_problems([("a", None, "path"), ("b", "x", "path")]) == [
        "b is 'x'; allowed: an absolute path of letters, digits, '_', '.', '@', '+', '-' separated by '/', without "
        "'.' or '..' parts [syntax-path]"]


@pytest.mark.parametrize("value, ok", [
    ("https://www.keepalived.org/software/keepalived-2.2.7.tar.gz", True),
    ("http://198.18.72.171:8080/keepalived-2.2.7.tar.gz", True),
    ("ftp://mirror.example/k.tgz", True),
    ("file:///tmp/k.tgz", False), ("https:///k.tgz", False), ("https://h/k.tgz\" -o /etc/passwd", False),
    ("https://h/a b", False), ("https://h:99999/k", False), ("https://h/k\\x", False), ("mirror/k.tgz", False),
])
def test_urls(value, ok):
    assert (syntax_problem("keepalived_source_url", value, "url") is None) is ok


@pytest.mark.parametrize("value, ok", [
    ("198.18.72.191", True), ("2001:2::191", True), ("web1", True), ("web1.halb.test", True),
    ("198.18.99.191:80; server 203.0.113.9", False), ("web 1", False), ("-web", False), ("", False),
])
def test_hosts(value, ok):
    assert (syntax_problem("address", value, "host") is None) is ok


@pytest.mark.parametrize("value, ok", [
    ("_", True), ("", True), ("halb.test", True), ("*.halb.test", True), (".halb.test", True), ("www.halb.*", True),
    ("localhost", True), ("under_score.test", True),
    ("~^re[0-9]+\\.halb\\.test$", True), ("~^(?<name>.+)\\.halb\\.test$", True),
    ("www.*.halb.test", False), ("*", False), ("halb.test; return 200 x", False), ("a b", False),
    ("~^www (a|b)$", False), ('~"x', False), ("~", False), ("**.halb.test", False), ("halb.test.", False),
])
def test_server_names(value, ok):
    assert (server_name_problem("nginx_lb_vhosts[0].server_names[0]", value) is None) is ok


def test_quote_nginx_escapes_only_what_nginx_unescapes():
    assert quote_nginx("*.halb.test") == '"*.halb.test"'
    assert quote_nginx("~^re[0-9]+\\.halb\\.test$") == '"~^re[0-9]+\\\\.halb\\\\.test$"'
    assert quote_nginx('a"b') == '"a\\"b"'


@pytest.mark.parametrize("address, host", [
    ("198.18.70.183", "198.18.70.183"),
    ("2001:2:0:83::183", "[2001:2:0:83::183]"),
    ("::", "[::]"),
    ("[2001:2::1]", "[2001:2::1]"),
    ("lb1.halb.test", "lb1.halb.test"),
])
def test_url_host_brackets_ipv6_only(address, host):
    assert url_host(address) == host


@pytest.mark.parametrize("vip, reason", [
    ("127.0.0.10/8", "a loopback address"),
    ("::1/128", "a loopback address"),
    ("224.0.0.18/32", "a multicast address"),
    ("ff02::12/128", "a multicast address"),
    ("0.0.0.0/0", "the unspecified address"),
    ("::/0", "the unspecified address"),
    ("169.254.10.10/16", "a link-local address (it never leaves the link)"),
    ("fe80::10/64", "a link-local address (it never leaves the link)"),
    ("198.18.99.0/24", "the network address of 198.18.99.0/24"),
    ("198.18.99.255/24", "the broadcast address of 198.18.99.0/24"),
    ("198.18.99.182/30", None), ("198.18.99.180/30", "the network address of 198.18.99.180/30"),
    ("198.18.99.183/30", "the broadcast address of 198.18.99.180/30"),
    ("198.18.99.0/31", None), ("198.18.99.0/32", None), ("198.18.99.183", None),
    ("2001:2:0:99::/64", "the subnet-router anycast address of 2001:2:0:99::/64"),
    ("2001:2:0:99::183/64", None), ("2001:2:0:99::/128", None),
    ("255.255.255.255/32", "the limited broadcast address"),
])
def test_vip_semantics(vip, reason):
    problems = address_family_problems("keepalived_instances[0] (VI_1)", [vip])
    if reason is None:
        assert problems == []
    else:
        assert problems == ["keepalived_instances[0] (VI_1).virtual_ipaddresses[0] %r is %s; allowed: a unicast host "
                            "address that clients can reach [vrrp-vip-usable]" % (vip, reason)]


def test_vip_families_must_not_mix():
    assert address_family_problems("w", ["2001:2::10/64", "2001:2::11/64", "198.18.99.183/24"]) == [
        "w: virtual_ipaddresses mixes IPv4 and IPv6 (entries 0 and 2); allowed: one address family per instance, so "
        "put the IPv6 VIPs in an instance of their own [vrrp-vip-family]"]
