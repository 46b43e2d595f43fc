# -*- coding: utf-8 -*-
"""Files one role writes and another reads: both roles' vars name the same path."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import yaml

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def _vars(role):
    with open(os.path.join(ROOT, "roles", role, "vars", "main.yml")) as handle:
        return yaml.safe_load(handle)


def test_monitoring_reads_the_record_the_keepalived_role_writes():
    keepalived = _vars("keepalived")
    state_dir = keepalived["__keepalived_state_dir"]
    written = keepalived["__keepalived_deployed_file"].replace("{{ __keepalived_state_dir }}", state_dir)
    assert written == _vars("monitoring")["__monitoring_keepalived_record"] == "/var/lib/halb-keepalived/deployed-plan.json"


def test_monitoring_reads_the_acme_record_the_nginx_lb_role_writes():
    with open(os.path.join(ROOT, "roles", "nginx_lb", "defaults", "main.yml")) as handle:
        state_dir = yaml.safe_load(handle)["nginx_lb_acme_state_dir"]
    written = _vars("nginx_lb")["__nginx_lb_acme_record_file"].replace("{{ nginx_lb_acme_state_dir }}", state_dir)
    read = _vars("monitoring")["__monitoring_acme_record"]
    assert read == "{{ nginx_lb_acme_state_dir | default('%s') }}/certificates.json" % state_dir
    assert written == read.replace("{{ nginx_lb_acme_state_dir | default('%s') }}" % state_dir, state_dir)
