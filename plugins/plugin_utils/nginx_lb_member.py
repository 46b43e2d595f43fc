# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One load balancer's resolved nginx model: what its nginx.conf and sysctl file render.

``resolve`` applies every default once: the upstreams with their servers (a backend group's hosts, each on the port
it listens on), the virtual hosts with their default servers, the sysctls, and the settings of the ``http`` block,
the stub_status listener and the health listener keepalived's check asks. The role's validate entry point sets it as
``__nginx_lb_model``; the templates render it and nothing else (tests/unit/test_templates_read_the_model.py), and the
cluster model (``cluster_model``) reads its listeners, upstreams and health listener. Values keep the type and
spelling the inventory gave. Controller-side.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

from collections.abc import Mapping
from typing import Any

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._nginx_validate import (
    nonlocal_bind_sysctls,
    resolve_upstreams,
    resolve_vhosts,
)
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._numbers import flag


def resolve(upstreams: list[Mapping[str, Any]], vhosts: list[Mapping[str, Any]], groups: Mapping[str, Any],
            hostvars: Mapping[str, Any], defaults: Mapping[str, Any]) -> dict[str, Any]:
    """``upstreams``, ``vhosts`` and ``sysctls`` (each with every default applied), ``http``, ``stub_status`` (None
    when off), ``health`` (with ``enabled``), ``tls_dir``, ``acme_challenge_dir``, and ``acme``: the ACME settings
    when a virtual host has ``acme`` (None otherwise; never the account key itself)."""
    buffer = defaults.get("access_log_buffer") or ""
    resolved = resolve_vhosts(list(vhosts))
    return {
        "upstreams": resolve_upstreams(list(upstreams), groups, hostvars, dict(defaults)),
        "vhosts": resolved,
        "sysctls": nonlocal_bind_sysctls(list(vhosts), defaults.get("nonlocal_bind", "auto")),
        "http": {
            "worker_processes": defaults.get("worker_processes"),
            "worker_connections": defaults.get("worker_connections"),
            "keepalive_requests": defaults.get("keepalive_requests"),
            # Buffered: one write per buffer of log lines or per flush interval, not one per request.
            "access_log": {"buffer": buffer, "flush": defaults.get("access_log_flush")} if buffer else None,
            "served_by_header": defaults.get("served_by_header"),
            "proxy_connect_timeout": defaults.get("proxy_connect_timeout"),
            "tls_protocols": list(defaults.get("tls_protocols") or []),
            "reuseport": flag(defaults.get("reuseport")),
            "listen_ipv6": flag(defaults.get("listen_ipv6")),
        },
        "stub_status": {
            "address": defaults.get("stub_status_address"),
            "port": defaults.get("stub_status_port"),
            "path": defaults.get("stub_status_path"),
        } if flag(defaults.get("stub_status_enabled")) else None,
        "health": {
            "enabled": flag(defaults.get("health_enabled")),
            "address": defaults.get("health_address"),
            "port": defaults.get("health_port"),
            "path": defaults.get("health_path"),
        },
        "tls_dir": defaults.get("tls_dir"),
        # Where the plain-HTTP listeners (http_redirect) answer ACME's HTTP-01 path from.
        "acme_challenge_dir": defaults.get("acme_challenge_dir"),
        "acme": {
            "directory_url": defaults.get("acme_directory_url"),
            "account_key_src": defaults.get("acme_account_key_src") or "",
            "account_email": defaults.get("acme_account_email") or "",
            "key_type": defaults.get("acme_key_type"),
            "renew_days": defaults.get("acme_renew_days"),
            "ca_bundle": defaults.get("acme_ca_bundle") or "",
            "state_dir": defaults.get("acme_state_dir"),
        } if any(vhost["acme"] for vhost in resolved) else None,
    }
