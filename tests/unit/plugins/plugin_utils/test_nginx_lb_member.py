# -*- coding: utf-8 -*-
"""One load balancer's nginx model (plugin_utils/nginx_lb_member.py), fed the inputs of real runs.

The fixtures (tests/unit/fixtures/member_models/nginx_lb_*.json) were captured from the nginx_lb role's validate
entry point on the corpus inventory (see test_keepalived_member.py for the three sets of inputs); ``model`` is what
that run resolved and what its nginx.conf rendered byte for byte as before the model existed.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest

from ansible_collections.halb.nginx_keepalived.plugins.plugin_utils.nginx_lb_member import resolve

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "member_models")
# The corpus inventory's web servers (tests/validation/inventory.yml), and the fast set's webserver_port.
GROUPS = {"webservers": ["web1", "web2"]}


def _hostvars(port=None):
    hostvars = {"web1": {"nginx_lb_backend_weight": 1, "nginx_lb_backend_address": "198.18.99.191"},
                "web2": {"nginx_lb_backend_weight": 2, "nginx_lb_backend_address": "198.18.99.192"}}
    for host_vars in hostvars.values():
        if port is not None:
            host_vars["webserver_port"] = port
    return hostvars


def _captured(name):
    with open(os.path.join(FIXTURES, "nginx_lb_%s.json" % name)) as handle:
        return json.load(handle)


@pytest.mark.parametrize("name, port", [("base_lb1", None), ("rich_lb2", None), ("fast_lb1", 8080)])
def test_resolves_what_the_real_run_resolved(name, port):
    captured = _captured(name)
    model = resolve(captured["upstreams"], captured["vhosts"], GROUPS, _hostvars(port), captured["defaults"])
    assert model == captured["model"]


def test_listeners_follow_their_switches():
    captured = _captured("fast_lb1")
    model = resolve(captured["upstreams"], captured["vhosts"], GROUPS, _hostvars(8080), captured["defaults"])
    # The fast set turned the health listener off; the upstream sends to the port the web servers listen on.
    assert model["health"]["enabled"] is False
    assert [server["port"] for server in model["upstreams"][0]["servers"]] == [8080, 8080]
    defaults = dict(captured["defaults"], stub_status_enabled="false", access_log_buffer="", reuseport="yes")
    model = resolve(captured["upstreams"], captured["vhosts"], GROUPS, _hostvars(), defaults)
    assert model["stub_status"] is None and model["http"]["access_log"] is None and model["http"]["reuseport"] is True
