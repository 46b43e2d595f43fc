# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The documentation of the filters lives next to this file: cluster_model.yml and input_type_problems.yml.

import os

import yaml

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._rule_ids import tagged
from ansible_collections.halb.nginx_keepalived.plugins.plugin_utils.cluster_model import resolve
from ansible_collections.halb.nginx_keepalived.plugins.plugin_utils.input_types import input_problems

_ROLES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "roles")
_SPECS = {}


def _options(role):
    """The options of a role's main entry point (its argument spec), read once per run."""
    if role not in _SPECS:
        with open(os.path.join(_ROLES, role, "meta", "argument_specs.yml")) as handle:
            _SPECS[role] = yaml.safe_load(handle)["argument_specs"]["main"]["options"]
    return _SPECS[role]


def _given(host_vars, names):
    """The variables among ``names`` that the inventory (or an extra var) gives this host, templated."""
    given = {}
    for name in names:
        if name in host_vars:
            try:
                given[name] = host_vars[name]
            except Exception:  # pylint: disable=broad-except
                # A value that does not template is named by the role's own rules.
                continue
    return given


def _format(problems):
    return [tagged(rule, sentence) for rule, sentence in problems]


def _input_type_problems(hostvars, webservers, load_balancers):
    problems = []
    roles = {}
    for host in webservers or []:
        roles.setdefault(host, []).append("webserver")
    for host in load_balancers or []:
        roles.setdefault(host, []).extend(["nginx_lb", "keepalived"])
    for host, names in roles.items():
        if host not in hostvars:
            continue
        host_vars = hostvars[host]
        for role in names:
            options = _options(role)
            problems += input_problems(host, _given(host_vars, options), options)
    return _format(problems)


def _cluster_model(hostvars, load_balancers, webservers):
    def handed(host, roles):
        host_vars = hostvars[host] if host in hostvars else {}
        return dict((role, host_vars.get("__%s_model" % role)) for role in roles)

    models, problems = resolve(
        dict((host, handed(host, ("keepalived", "nginx_lb"))) for host in load_balancers or []),
        dict((host, handed(host, ("webserver",))) for host in webservers or []))
    return {"clusters": models, "problems": _format(problems)}


class FilterModule(object):
    def filters(self):
        return {"cluster_model": _cluster_model, "input_type_problems": _input_type_problems}
