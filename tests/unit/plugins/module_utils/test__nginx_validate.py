# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._nginx_validate import (
    acme_problems,
    lb_problems,
    nonlocal_bind_sysctls,
    resolve_sites,
    resolve_upstreams,
    resolve_vhosts,
    site_problems,
    upstream_problems,
    vhost_problems,
)

DEFAULTS = {"backend_port": 80, "weight": 1, "max_fails": 1, "fail_timeout": "10s", "keepalive": 16,
            "zone_size": "64k", "stub_status_enabled": True, "stub_status_address": "127.0.0.1",
            "stub_status_port": 8081, "nonlocal_bind": "auto"}
GROUPS = {"webservers": ["web1", "web2"], "nobody": []}
HOSTVARS = {
    "web1": {"nginx_lb_backend_weight": 1, "ansible_facts": {"default_ipv4": {"address": "198.18.70.191"}}},
    "web2": {"nginx_lb_backend_weight": 2, "nginx_lb_backend_max_fails": 3, "nginx_lb_backend_fail_timeout": "20s",
             "ansible_facts": {"default_ipv4": {"address": "198.18.70.192"}}},
}
# Today's defaults: one upstream from the webservers group, one virtual host on port 80.
UPSTREAM = {"name": "backend", "backend_group": "webservers"}
VHOST = {"server_names": ["_"], "listen_port": 80, "upstream": "backend"}


def _app(**extra):
    upstream = {"name": "app", "method": "least_conn", "servers": [
        {"address": "198.18.70.191", "port": 8080}, {"address": "198.18.70.192", "port": 8080, "backup": True}]}
    upstream.update(extra)
    return upstream


def _lb(upstreams, vhosts, defaults=None, hostvars=None):
    return lb_problems(upstreams, vhosts, GROUPS, hostvars or HOSTVARS, defaults or DEFAULTS)


def test_todays_defaults_resolve_to_todays_upstream_and_site():
    upstream = resolve_upstreams([UPSTREAM], GROUPS, HOSTVARS, DEFAULTS)[0]
    assert upstream["method"] == "round_robin" and upstream["keepalive"] == 16 and upstream["zone_size"] == "64k"
    assert [(s["label"], s["address"], s["port"], s["weight"], s["max_fails"], s["fail_timeout"], s["backup"])
            for s in upstream["servers"]] == [
        ("web1", "198.18.70.191", 80, 1, 1, "10s", False),
        ("web2", "198.18.70.192", 80, 2, 3, "20s", False),
    ]
    vhost = resolve_vhosts([VHOST])[0]
    assert vhost == {"name": "default-80", "server_names": ["_"], "listen_address": None, "listen_port": 80,
                     "upstream": "backend", "tls": False, "tls_certificate": None, "tls_certificate_key": None,
                     "acme": None, "default_server": True, "http": None}
    assert _lb([UPSTREAM], [VHOST]) == []
    assert nonlocal_bind_sysctls([VHOST]) == []


def test_backend_address_and_upstream_port_override_the_facts():
    hostvars = dict(HOSTVARS, web1=dict(HOSTVARS["web1"], nginx_lb_backend_address="198.18.70.201"))
    servers = resolve_upstreams([dict(UPSTREAM, port=8080)], GROUPS, hostvars, DEFAULTS)[0]["servers"]
    assert [(s["address"], s["port"]) for s in servers] == [("198.18.70.201", 8080), ("198.18.70.192", 8080)]


def test_a_valid_multi_upstream_multi_vhost_setup(tmp_path):
    for name in ("c.pem", "k.pem"):
        (tmp_path / name).write_text("PEM")
    vhosts = [VHOST,
              {"name": "app", "server_names": ["app.halb.test"], "listen_port": 80, "upstream": "app"},
              {"name": "secure", "server_names": ["secure.halb.test"], "listen_address": "198.18.70.183",
               "listen_port": 443, "upstream": "backend", "tls_certificate": str(tmp_path / "c.pem"),
               "tls_certificate_key": str(tmp_path / "k.pem")}]
    hashed = {"name": "sticky", "method": "hash", "hash_key": "$request_uri", "consistent": True,
              "servers": [{"address": "198.18.70.191", "weight": 3}]}
    assert _lb([UPSTREAM, _app(), hashed], vhosts) == []
    resolved = resolve_vhosts(vhosts)
    assert [v["default_server"] for v in resolved] == [True, False, True]
    assert resolved[2]["tls"] and resolved[2]["listen_address"] == "198.18.70.183"
    assert nonlocal_bind_sysctls(vhosts) == ["net.ipv4.ip_nonlocal_bind"]
    assert nonlocal_bind_sysctls(vhosts + [dict(VHOST, name="v6", listen_address="2001:db8::1")]) == [
        "net.ipv4.ip_nonlocal_bind", "net.ipv6.ip_nonlocal_bind"]
    assert nonlocal_bind_sysctls(vhosts, "never") == []
    assert len(nonlocal_bind_sysctls([VHOST], "always")) == 2


def test_explicit_default_server_wins_over_the_first():
    vhosts = [VHOST, {"name": "other", "server_names": ["o.test"], "listen_port": 80, "upstream": "backend",
                      "default_server": True}]
    assert [v["default_server"] for v in resolve_vhosts(vhosts)] == [False, True]
    twice = [dict(VHOST, default_server=True), vhosts[1]]
    assert "default_server on *:80 is already set by nginx_lb_vhosts[0]" in vhost_problems(twice, ["backend"])[0]


def test_upstream_without_servers():
    assert upstream_problems([], GROUPS, HOSTVARS, DEFAULTS) == ["nginx_lb_upstreams is empty; define at least one upstream [nginx-upstreams-empty]"]
    assert upstream_problems([{"name": "app", "servers": []}], GROUPS, HOSTVARS, DEFAULTS) == [
        "nginx_lb_upstreams[0] (app): no servers (give backend_group or a non-empty servers list): an nginx "
        "upstream needs at least one server [nginx-upstream-servers-empty]"]
    assert upstream_problems([{"name": "app", "backend_group": "nobody"}], GROUPS, HOSTVARS, DEFAULTS) == [
        "nginx_lb_upstreams[0] (app): backend_group is 'nobody', which is no inventory group with hosts: an nginx "
        "upstream needs at least one server [nginx-upstream-servers-empty]"]
    both = upstream_problems([dict(_app(), backend_group="webservers")], GROUPS, HOSTVARS, DEFAULTS)
    assert "nginx_lb_upstreams[0] (app): give backend_group or servers, not both [nginx-upstream-servers-source]" in both


def test_weights_and_server_parameters():
    bad = _app(servers=[{"address": "198.18.70.191", "weight": 0, "max_fails": -1, "fail_timeout": "20 seconds",
                         "port": 70000}])
    assert upstream_problems([bad], GROUPS, HOSTVARS, DEFAULTS) == [
        "nginx_lb_upstreams[0] (app) server 198.18.70.191: weight is 0 (allowed: a whole number >= 1) [nginx-server-weight]",
        "nginx_lb_upstreams[0] (app) server 198.18.70.191: max_fails is -1 (allowed: a whole number >= 0) [nginx-server-max-fails]",
        "nginx_lb_upstreams[0] (app) server 198.18.70.191: fail_timeout is 20 seconds (allowed: an nginx time such as 20s) [syntax-nginx-time]",
        "nginx_lb_upstreams[0] (app) server 198.18.70.191: port is 70000 (allowed: 1..65535) [nginx-port-range]",
    ]
    hostvars = dict(HOSTVARS, web2=dict(HOSTVARS["web2"], nginx_lb_backend_weight="heavy"))
    assert upstream_problems([UPSTREAM], GROUPS, hostvars, DEFAULTS) == [
        "backend web2: nginx_lb_backend_weight is heavy (allowed: a whole number >= 1) [nginx-server-weight]"]
    assert "weight is 2.5" in upstream_problems([_app(servers=[{"address": "a", "weight": 2.5}])],
                                                GROUPS, HOSTVARS, DEFAULTS)[0]


def test_backup_is_refused_with_hash_methods():
    for method in ("ip_hash", "hash"):
        problems = upstream_problems([_app(method=method, hash_key="$request_uri" if method == "hash" else None)],
                                     GROUPS, HOSTVARS, DEFAULTS)
        assert problems == ["nginx_lb_upstreams[0] (app) server 198.18.70.192: backup is not allowed with method %s "
                            "(nginx refuses it; allowed with round_robin and least_conn) [nginx-server-backup-method]" % method]
    assert upstream_problems([_app(method="round_robin")], GROUPS, HOSTVARS, DEFAULTS) == []


def test_hash_needs_a_key_and_key_and_consistent_need_hash():
    problems = upstream_problems([_app(method="hash", servers=[{"address": "a"}])], GROUPS, HOSTVARS, DEFAULTS)
    assert problems == ["nginx_lb_upstreams[0] (app): method hash needs a hash_key such as $request_uri or $remote_addr [nginx-hash-key-missing]"]
    problems = upstream_problems([_app(hash_key="$uri", consistent=True)], GROUPS, HOSTVARS, DEFAULTS)
    assert problems == ["nginx_lb_upstreams[0] (app): hash_key '$uri' is only used with method hash (method is least_conn) [nginx-hash-key-unused]",
                        "nginx_lb_upstreams[0] (app): consistent is only allowed with method hash (method is least_conn) [nginx-consistent-hash]"]


def test_duplicate_and_bad_upstream_names_keepalive_zone():
    problems = upstream_problems([UPSTREAM, dict(_app(), name="backend", keepalive=-1, zone_size="lots"),
                                  dict(_app(), name="a b")], GROUPS, HOSTVARS, DEFAULTS)
    assert problems[0] == ("nginx_lb_upstreams[1] (backend): name 'backend' is already used by nginx_lb_upstreams[0]; "
                           "upstream names must be unique [nginx-name-unique]")
    assert "nginx_lb_upstreams[1] (backend): keepalive is -1" in problems[1]
    assert "zone_size is lots (allowed: an nginx size such as 64k)" in problems[2]
    assert "nginx_lb_upstreams[2] (a b): name 'a b' is not allowed" in problems[3]


def test_every_server_backup_or_down():
    problems = upstream_problems([_app(servers=[{"address": "a", "down": True}, {"address": "b", "backup": True}])],
                                 GROUPS, HOSTVARS, DEFAULTS)
    assert problems == ["nginx_lb_upstreams[0] (app): every server is backup or down; at least one must take traffic [nginx-upstream-active-server]"]


def test_vhost_unknown_upstream_port_address():
    problems = vhost_problems([dict(VHOST, upstream="bakend", listen_port=0, listen_address="198.18.70.300")],
                              ["backend", "app"])
    assert problems == [
        "nginx_lb_vhosts[0] (default-0): listen_port is 0 (allowed: 1..65535) [nginx-port-range]",
        "nginx_lb_vhosts[0] (default-0): listen_address '198.18.70.300' is not an IP address [nginx-listen-address]",
        "nginx_lb_vhosts[0] (default-0): upstream 'bakend' is not defined in nginx_lb_upstreams (defined: backend, app) [nginx-vhost-upstream]",
    ]
    assert vhost_problems([], ["backend"]) == ["nginx_lb_vhosts is empty; define at least one virtual host [nginx-vhosts-empty]"]


def test_duplicate_vhosts():
    problems = vhost_problems([VHOST, dict(VHOST, name="again", server_names=["x.test", "_"])], ["backend"])
    assert problems == [
        "nginx_lb_vhosts[1] (again): server_name '_' on *:80 is already served by nginx_lb_vhosts[0]; each "
        "(listen address, port, server_name) needs one virtual host [nginx-server-name-unique]"]
    # The same name on another address or port is fine; the same derived vhost name is not.
    assert vhost_problems([VHOST, dict(VHOST, listen_address="198.18.70.183", name="vip")], ["backend"]) == []
    assert "name 'default-80' is already used by nginx_lb_vhosts[0]" in vhost_problems(
        [VHOST, dict(VHOST, listen_address="198.18.70.183")], ["backend"])[0]


def test_tls_needs_both_files_and_agreement_per_listener():
    problems = vhost_problems([dict(VHOST, listen_port=443, tls_certificate="c.pem")], ["backend"])
    assert problems == ["nginx_lb_vhosts[0] (default-443): TLS needs both tls_certificate and tls_certificate_key; "
                        "tls_certificate_key is missing [nginx-tls-both-files]"]
    problems = vhost_problems([dict(VHOST, listen_port=443, tls_certificate_key="k.pem")], ["backend"])
    assert "tls_certificate is missing" in problems[0]
    mixed = [dict(VHOST, listen_port=443, tls_certificate="c", tls_certificate_key="k"),
             dict(VHOST, name="plain", server_names=["p.test"], listen_port=443)]
    assert vhost_problems(mixed, ["backend"]) == [
        "nginx_lb_vhosts[1] (plain): *:443 is plain HTTP here but TLS in nginx_lb_vhosts[0]; every virtual host "
        "on one address and port must agree on TLS [nginx-tls-per-port]"]


def test_stub_status_listener():
    assert _lb([UPSTREAM], [dict(VHOST, listen_port=8081)]) == [
        "nginx_lb_stub_status_port 8081 is also the listen_port of nginx_lb_vhosts[0] (default-8081); give "
        "stub_status a port of its own [nginx-local-listener-port]"]
    assert _lb([UPSTREAM], [VHOST], dict(DEFAULTS, stub_status_port=0, stub_status_address="localhost")) == [
        "nginx_lb_stub_status_port is 0 (allowed: 1..65535) [nginx-port-range]",
        "nginx_lb_stub_status_address 'localhost' is not an IP address [nginx-listen-address]"]
    assert _lb([UPSTREAM], [dict(VHOST, listen_port=8081)], dict(DEFAULTS, stub_status_enabled=False)) == []


HEALTH = dict(DEFAULTS, health_enabled=True, health_address="127.0.0.1", health_port=8082, health_path="/halb-health")


def test_health_listener():
    assert _lb([UPSTREAM], [VHOST], HEALTH) == []
    assert _lb([UPSTREAM], [dict(VHOST, listen_port=8082)], HEALTH) == [
        "nginx_lb_health_port 8082 is also the listen_port of nginx_lb_vhosts[0] (default-8082); give "
        "health a port of its own [nginx-local-listener-port]"]
    # A virtual host on another specific address may share the port; the stub_status listener may not.
    assert _lb([UPSTREAM], [dict(VHOST, listen_port=8082, listen_address="198.18.70.183")], HEALTH) == []
    assert _lb([UPSTREAM], [VHOST], dict(HEALTH, health_port=8081)) == [
        "nginx_lb_health_port 8081 on 127.0.0.1 is also nginx_lb_stub_status_port; give the health location "
        "a port of its own [nginx-local-listener-port]"]
    assert _lb([UPSTREAM], [VHOST], dict(HEALTH, health_port=70000, health_address="::x", health_path="halb health")) == [
        "nginx_lb_health_port is 70000 (allowed: 1..65535) [nginx-port-range]",
        "nginx_lb_health_address '::x' is not an IP address [nginx-listen-address]",
        "nginx_lb_health_path is 'halb health' (allowed: a URI starting with /, without spaces, quotes, ';' or braces) [nginx-health-path]"]
    assert _lb([UPSTREAM], [VHOST], dict(HEALTH, health_path='/a";')) != []
    assert _lb([UPSTREAM], [dict(VHOST, listen_port=8082)], dict(HEALTH, health_enabled=False)) == []


SITE = {"name": "default", "port": 80, "server_names": ["_"], "root": "/var/www/halb", "page_content": "web1 x"}


def test_valid_sites():
    assert site_problems([SITE]) == []
    assert site_problems([SITE, {"name": "app", "port": 8080, "page_content": "web1 app"},
                          {"name": "docs", "port": 80, "server_names": ["docs.test"]}]) == []


def test_site_problems():
    assert site_problems([]) == ["webserver_sites is empty; define at least one site [webserver-sites-empty]"]
    problems = site_problems([SITE, dict(SITE, port=70000, root="relative", page_content=" "),
                              dict(SITE, name="two", root="/var/www/halb", server_names=[]),
                              dict(SITE, name="three", root="/srv/three")])
    assert problems == [
        "webserver_sites[1] (default): name 'default' is already used by webserver_sites[0]; site names must be unique [nginx-name-unique]",
        "webserver_sites[1] (default): port is 70000 (allowed: 1..65535) [nginx-port-range]",
        "webserver_sites[1] (default): root is 'relative' (allowed: an absolute path of letters, digits, '_', '.', '@', "
        "'+', '-' separated by '/', without '.' or '..' parts) [syntax-path]",
        "webserver_sites[1] (default): page_content is empty (omit it to leave the index page alone) [webserver-page-content]",
        "webserver_sites[2] (two): server_names is empty; give at least one name ('_' matches any) [nginx-server-names-empty]",
        "webserver_sites[2] (two): root /var/www/halb is already the root of webserver_sites[0]; each site needs its "
        "own document root [webserver-root-unique]",
        "webserver_sites[3] (three): server_name '_' on port 80 is already served by webserver_sites[0]; each "
        "(port, server_name) needs one site [nginx-server-name-unique]",
    ]
    both = site_problems([dict(SITE, default_server=True),
                          dict(SITE, name="b", root="/srv/b", server_names=["b.test"], default_server=True)])
    assert both == ["webserver_sites[1] (b): default_server on port 80 is already set by webserver_sites[0]; one "
                    "default per port [nginx-default-server-unique]"]


@pytest.mark.parametrize("buffer, flush, wanted", [
    ("64k", "1s", []), ("", "1s", []),
    ("64kb", "1s", ["nginx_lb_access_log_buffer is '64kb'; allowed: an nginx size such as 64k, or '' to write every "
                    "line at once [syntax-nginx-size]"]),
    ("64k", "1s; access_log /tmp/x", ["nginx_lb_access_log_flush is '1s; access_log /tmp/x'; allowed: an nginx "
                                      "time: whole numbers with units ms, s, m, h, d, w, M, y (e.g. 2s, 500ms, 1h30m) [syntax-nginx-time]"]),
])
def test_access_log_buffer_and_flush(buffer, flush, wanted):
    settings = dict(DEFAULTS, access_log_buffer=buffer, access_log_flush=flush)
    assert [p for p in lb_problems([UPSTREAM], [VHOST], GROUPS, HOSTVARS, settings) if "access_log" in p] == wanted


def test_a_backend_host_marked_down_stays_in_the_upstream_and_takes_nothing():
    hostvars = dict(HOSTVARS, web2=dict(HOSTVARS["web2"], nginx_lb_backend_down="yes"))
    servers = resolve_upstreams([UPSTREAM], GROUPS, hostvars, DEFAULTS)[0]["servers"]
    assert [(s["label"], s["down"]) for s in servers] == [("web1", False), ("web2", True)]
    assert _lb([UPSTREAM], [VHOST], hostvars=hostvars) == []
    both = dict(hostvars, web1=dict(HOSTVARS["web1"], nginx_lb_backend_down=True))
    assert _lb([UPSTREAM], [VHOST], hostvars=both) == [
        "nginx_lb_upstreams[0] (backend): every server is backup or down; at least one must take traffic [nginx-upstream-active-server]"]
    wrong = dict(HOSTVARS, web2=dict(HOSTVARS["web2"], nginx_lb_backend_down="maybe"))
    assert _lb([UPSTREAM], [VHOST], hostvars=wrong) == ["backend web2: nginx_lb_backend_down is 'maybe' (allowed: true or false) [nginx-server-down]"]


@pytest.mark.parametrize("requests, wanted", [
    (1000, []), ("10000", []),
    (0, ["nginx_lb_keepalive_requests is 0; allowed: a whole number >= 1 (requests per client connection) [nginx-keepalive-requests]"]),
    ("1k", ["nginx_lb_keepalive_requests is '1k'; allowed: a whole number >= 1 (requests per client connection) [nginx-keepalive-requests]"]),
])
def test_keepalive_requests(requests, wanted):
    settings = dict(DEFAULTS, keepalive_requests=requests)
    assert [p for p in lb_problems([UPSTREAM], [VHOST], GROUPS, HOSTVARS, settings) if "keepalive_requests" in p] == wanted


def test_sites_resolve_with_every_default_and_one_default_server_per_port():
    """What roles/webserver renders (molecule dual_master's two sites on web1, and an explicit default on 8080)."""
    sites = [{"name": "default", "port": "80", "server_names": ["_"], "root": "/var/www/halb", "page_content": "web1"},
             {"name": "app", "port": 8080, "server_names": ["app.example"]},
             {"name": "api", "port": 8080, "default_server": "yes", "root": ""}]
    assert resolve_sites(sites) == [
        {"name": "default", "port": 80, "server_names": ["_"], "root": "/var/www/halb", "default_server": True,
         "page_content": "web1"},
        {"name": "app", "port": 8080, "server_names": ["app.example"], "root": "/var/www/app", "default_server": False},
        {"name": "api", "port": 8080, "server_names": ["_"], "root": "/var/www/api", "default_server": True},
    ]
    # The virtual hosts of nginx_lb follow the same rule.
    assert [v["default_server"] for v in resolve_vhosts([{"listen_port": 80}, {"listen_port": 80},
                                                         {"listen_port": 443}])] == [True, False, True]


def test_the_role_level_site_settings_are_checked_in_the_same_call():
    assert site_problems([SITE], {"port": 80, "page_content": "web1 198.18.72.191"}) == []
    assert site_problems([SITE], {"port": 70000, "page_content": " "}) == [
        "webserver_port is 70000 (allowed: 1..65535) [nginx-port-range]", "webserver_page_content is ' ' (must not be empty) [webserver-page-content]"]
    assert site_problems([], {"port": 0}) == ["webserver_port is 0 (allowed: 1..65535) [nginx-port-range]",
                                              "webserver_sites is empty; define at least one site [webserver-sites-empty]"]


def test_tls_files_must_exist_on_the_controller(tmp_path):
    (tmp_path / "c.pem").write_text("PEM")
    vhost = {"name": "secure", "listen_port": 443, "upstream": "backend", "tls_certificate": str(tmp_path / "c.pem"),
             "tls_certificate_key": str(tmp_path / "missing.key")}
    assert _lb([UPSTREAM], [vhost]) == [
        "nginx_lb_vhosts (secure): tls_certificate '%s' and tls_certificate_key '%s' must both be files on the "
        "controller. [nginx-tls-files]" % (tmp_path / "c.pem", tmp_path / "missing.key")]


def test_the_default_backend_group_is_named_by_its_role_variable():
    defaults = dict(DEFAULTS, backend_group="nobody")
    assert upstream_problems([dict(UPSTREAM, backend_group="nobody")], GROUPS, HOSTVARS, defaults) == [
        "nginx_lb_backend_group is 'nobody', which is no inventory group with hosts: an nginx upstream needs at least "
        "one server [nginx-upstream-servers-empty]"]


def test_a_server_listed_twice_in_one_upstream_is_refused():
    twice = {"name": "app", "servers": [{"address": "198.18.70.191", "port": 8080}, {"address": "198.18.70.192"},
                                        {"address": "198.18.70.191", "port": 8080, "weight": 2}]}
    assert upstream_problems([twice], GROUPS, HOSTVARS, DEFAULTS) == [
        "nginx_lb_upstreams[0] (app): server 198.18.70.191:8080 is listed twice (servers[0] and servers[2]); "
        "list each server once and give it a higher weight instead [nginx-upstream-server-unique]"]
    # The same address on another port is another server.
    other_port = {"name": "app", "servers": [{"address": "198.18.70.191", "port": 8080}, {"address": "198.18.70.191"}]}
    assert upstream_problems([other_port], GROUPS, HOSTVARS, DEFAULTS) == []


def test_two_backend_hosts_with_one_address_are_refused():
    same = dict(HOSTVARS, web2=dict(HOSTVARS["web2"], nginx_lb_backend_address="198.18.70.191"))
    assert upstream_problems([UPSTREAM], GROUPS, same, DEFAULTS) == [
        "nginx_lb_upstreams[0] (backend): server 198.18.70.191:80 is listed twice (web1 and web2); "
        "list each server once and give it a higher weight instead [nginx-upstream-server-unique]"]


SECURE = dict(VHOST, name="secure", server_names=["secure.test"], listen_address="198.18.70.183", listen_port=443,
              tls_certificate="c", tls_certificate_key="k")


def test_http_redirect_resolves_a_plain_listener_on_every_address():
    plain, secure = resolve_vhosts([VHOST, dict(SECURE, http_redirect=True)])
    assert plain["http"] is None
    assert secure["http"] == {"port": 80, "https_port": 443, "redirect": True, "server_names": ["secure.test"]}
    assert resolve_vhosts([dict(SECURE, http_redirect="yes", http_port=8080)])[0]["http"] == {
        "port": 8080, "https_port": 443, "redirect": True, "server_names": ["secure.test"]}
    # Only a TLS virtual host has one.
    assert resolve_vhosts([dict(VHOST, http_redirect=True)])[0]["http"] is None
    # The default site on *:80 with another name, and the listener beside it, is fine.
    assert vhost_problems([VHOST, dict(SECURE, http_redirect=True)], ["backend"]) == []


def test_http_redirect_rules(tmp_path):
    assert vhost_problems([dict(VHOST, http_redirect=True)], ["backend"]) == [
        "nginx_lb_vhosts[0] (default-80): http_redirect needs TLS (tls_certificate and tls_certificate_key, or "
        "acme): it redirects plain HTTP to this virtual host's HTTPS [nginx-http-redirect-tls]"]
    taken = dict(VHOST, name="taken", server_names=["secure.test"])
    assert vhost_problems([taken, dict(SECURE, http_redirect=True)], ["backend"]) == [
        "nginx_lb_vhosts[1] (secure): http_redirect's plain HTTP listener on *:80 serves server_name 'secure.test', "
        "which nginx_lb_vhosts[0] already serves there; leave http_redirect out or the name out of nginx_lb_vhosts[0] "
        "[nginx-http-listener-name]"]
    pinned = dict(VHOST, name="pinned", listen_address="198.18.70.184")
    assert vhost_problems([pinned, dict(SECURE, http_redirect=True)], ["backend"]) == [
        "nginx_lb_vhosts[1] (secure): http_redirect's plain HTTP listener is on every address of port 80, but "
        "nginx_lb_vhosts[0] (pinned) listens on 198.18.70.184:80, and nginx gives that address's connections only to "
        "the virtual hosts listening on it; give nginx_lb_vhosts[0] no listen_address or another http_port "
        "[nginx-http-listener-shadowed]"]
    tls80 = dict(SECURE, name="tls80", server_names=["other.test"], listen_address=None, listen_port=80)
    assert vhost_problems([tls80, dict(SECURE, http_redirect=True)], ["backend"]) == [
        "nginx_lb_vhosts[1] (secure): http_redirect's plain HTTP listener on *:80, where nginx_lb_vhosts[0] listens "
        "with TLS; every virtual host on one address and port must agree on TLS [nginx-tls-per-port]"]
    assert vhost_problems([dict(SECURE, http_redirect=True, http_port=0)], ["backend"]) == [
        "nginx_lb_vhosts[0] (secure): http_port is 0 (allowed: 1..65535) [nginx-port-range]"]
    (tmp_path / "c").write_text("certificate")
    (tmp_path / "k").write_text("key")
    files = dict(tls_certificate=str(tmp_path / "c"), tls_certificate_key=str(tmp_path / "k"))
    assert _lb([UPSTREAM], [VHOST, dict(SECURE, http_redirect=True, http_port=8081, **files)]) == [
        "nginx_lb_stub_status_port 8081 is also the http_port of nginx_lb_vhosts[1] (secure); give stub_status a port "
        "of its own [nginx-local-listener-port]"]


ACME = {"name": "shop", "server_names": ["shop.example.com", "www.shop.example.com"], "listen_port": 443,
        "upstream": "backend", "acme": True}
ACME_SETTINGS = {"acme_directory_url": "https://ca.example.com/directory", "acme_account_key_content_given": True,
                 "acme_terms_agreed": True, "acme_renew_days": 30, "acme_ca_bundle": ""}


def test_acme_resolves_tls_a_challenge_listener_and_its_names():
    vhost = resolve_vhosts([ACME])[0]
    assert vhost["tls"] is True and vhost["tls_certificate"] is None
    assert vhost["acme"] == {"names": ["shop.example.com", "www.shop.example.com"]}
    # Without http_redirect the listener answers ACME's path and 404 elsewhere; acme_names join its names.
    assert vhost["http"] == {"port": 80, "https_port": 443, "redirect": False,
                             "server_names": ["shop.example.com", "www.shop.example.com"]}
    other = resolve_vhosts([dict(ACME, acme_names=["shop.example.com", "api.example.com"], http_redirect=True)])[0]
    assert other["acme"] == {"names": ["shop.example.com", "api.example.com"]}
    assert other["http"]["redirect"] is True
    assert other["http"]["server_names"] == ["shop.example.com", "www.shop.example.com", "api.example.com"]
    assert acme_problems([ACME], [vhost], ACME_SETTINGS) == []
    # Nothing about the ACME settings is asked when no virtual host uses acme.
    assert acme_problems([VHOST], resolve_vhosts([VHOST]), {}) == []


def test_acme_rules(tmp_path):
    vhosts = [dict(ACME, tls_certificate="/c", tls_certificate_key="/k"),
              dict(ACME, name="names", server_names=["*.example.com", "_", "198.18.0.9", "single", "~^a$", "ok.example"]),
              dict(ACME, name="port", server_names=["p.example.com"], http_port=8080),
              dict(VHOST, acme_names=["x.example.com"])]
    settings = {"acme_directory_url": "http://ca.example.com/dir", "acme_account_key_src": str(tmp_path / "none.pem"),
                "acme_terms_agreed": False, "acme_renew_days": 0, "acme_ca_bundle": str(tmp_path / "ca.pem")}
    problems = acme_problems(vhosts, resolve_vhosts(vhosts), settings)
    assert problems == [
        "nginx_lb_vhosts[0] (shop): acme and tls_certificate/tls_certificate_key are both given; the certificate comes "
        "from the ACME CA or from files, not both [nginx-acme-with-files]",
        "nginx_lb_vhosts[1] (names): the ACME name [0] '*.example.com' is a wildcard, which needs the DNS-01 challenge; "
        "this collection answers HTTP-01 only (list each name) [nginx-acme-name]",
        "nginx_lb_vhosts[1] (names): the ACME name [1] '_' is not a DNS name (a regular expression or the catch-all "
        "'_'); give acme_names [nginx-acme-name]",
        "nginx_lb_vhosts[1] (names): the ACME name [2] '198.18.0.9' is an IP address; ACME certificates here are for "
        "DNS names [nginx-acme-name]",
        "nginx_lb_vhosts[1] (names): the ACME name [3] 'single' is not a DNS name of at least two labels (letters, "
        "digits and '-') [nginx-acme-name]",
        "nginx_lb_vhosts[1] (names): the ACME name [4] '~^a$' is not a DNS name (a regular expression or the "
        "catch-all '_'); give acme_names [nginx-acme-name]",
        "nginx_lb_vhosts[2] (port): http_port is 8080, but an ACME CA asks HTTP-01 on port 80 (allowed: 80 or unset) "
        "[nginx-acme-http-port]",
        "nginx_lb_vhosts[3] (default-80): acme_names is only used with acme: true [nginx-acme-name]",
        "nginx_lb_acme_directory_url is 'http://ca.example.com/dir'; allowed: the CA's directory URL over HTTPS "
        "(https://...) [nginx-acme-directory-https]",
        "nginx_lb_acme_account_key_src '%s' is not a file on the controller [nginx-acme-account-key]"
        % (tmp_path / "none.pem"),
        "a virtual host uses acme, but nginx_lb_acme_terms_agreed is not true; read the CA's terms of service and set "
        "it to agree [nginx-acme-terms]",
        "nginx_lb_acme_renew_days is 0; allowed: a whole number >= 1 (renew when fewer days remain) "
        "[nginx-acme-renew-days]",
        "nginx_lb_acme_ca_bundle '%s' is not a file on the controller [nginx-acme-ca-bundle]" % (tmp_path / "ca.pem"),
    ]
    # Neither key source given.
    assert acme_problems([ACME], resolve_vhosts([ACME]), dict(ACME_SETTINGS, acme_account_key_content_given=False)) == [
        "a virtual host uses acme, but neither nginx_lb_acme_account_key_src nor nginx_lb_acme_account_key_content is "
        "given (the ACME account's private key, on the controller or in the vault) [nginx-acme-account-key]"]
    # No name at all (server_names empty, no acme_names).
    assert acme_problems([dict(ACME, server_names=[])], resolve_vhosts([dict(ACME, server_names=[])]), ACME_SETTINGS) == [
        "nginx_lb_vhosts[0] (shop): acme_names is empty; give at least one DNS name [nginx-acme-name]"]
