# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every role's defaults/main.yml and meta/argument_specs.yml agree.

For the role-prefixed variables (``<role>_*``): each key of defaults/main.yml is an option of an entry point
(of every entry point that takes it, with an equal default), and each option with a default is in defaults/main.yml
with that value. An option without a default (a required input such as keepalived_auth_pass) has no entry in
defaults/main.yml. An entry point lists the options it reads: the drill role's operations entry point does not
take drill_name, and its main entry point does not take the operations' drill_ops_* options.
"""

from __future__ import absolute_import, division, print_function

import os

import pytest
import yaml

__metaclass__ = type

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLES = sorted(d for d in os.listdir(os.path.join(ROOT, "roles"))
               if os.path.isfile(os.path.join(ROOT, "roles", d, "meta", "argument_specs.yml")))


def _load(role, *parts):
    path = os.path.join(ROOT, "roles", role, *parts)
    if not os.path.isfile(path):
        return {}
    with open(path) as handle:
        return yaml.safe_load(handle) or {}


@pytest.mark.parametrize("role", ROLES)
def test_defaults_and_argument_specs_agree(role):
    prefix = role + "_"
    defaults = {k: v for k, v in _load(role, "defaults", "main.yml").items() if k.startswith(prefix)}
    entry_points = _load(role, "meta", "argument_specs.yml").get("argument_specs") or {}
    assert entry_points, "roles/%s/meta/argument_specs.yml has no entry point" % role
    problems = []
    taken = set()
    for spec in entry_points.values():
        taken.update(spec.get("options") or {})
    problems.extend("defaults/main.yml has %s, no entry point's spec does" % name
                    for name in sorted(set(defaults) - taken))
    for entry, spec in entry_points.items():
        options = {k: v or {} for k, v in (spec.get("options") or {}).items() if k.startswith(prefix)}
        for name, value in defaults.items():
            if name not in options:
                continue
            if "default" not in options[name]:
                problems.append("%s: %s has a default in defaults/main.yml (%r) but none in the spec"
                                % (entry, name, value))
            elif options[name]["default"] != value:
                problems.append("%s: %s defaults to %r in defaults/main.yml but %r in the spec"
                                % (entry, name, value, options[name]["default"]))
        for name, option in options.items():
            if "default" in option and name not in defaults:
                problems.append("%s: the spec gives %s the default %r; defaults/main.yml lacks it"
                                % (entry, name, option["default"]))
    assert not problems, "roles/%s:\n  %s" % (role, "\n  ".join(problems))
