# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render roles/monitoring/templates/halb-alerts.rules.yml.j2 with the role's defaults (and optional overrides)
for `promtool check rules` / `promtool test rules` (make promtool).

    python tests/prometheus/render_rules.py OUT.yml [name=value ...]

The template uses only the role's scalar defaults; Ansible's `comment` filter is replaced by a plain one.
"""

from __future__ import absolute_import, division, print_function

import os
import sys

import jinja2
import yaml

__metaclass__ = type

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLE = os.path.join(ROOT, "roles", "monitoring")


def main(argv):
    out = argv[0]
    with open(os.path.join(ROLE, "defaults", "main.yml")) as handle:
        variables = yaml.safe_load(handle)
    for pair in argv[1:]:
        name, dummy, value = pair.partition("=")
        if name not in variables:
            sys.exit("render_rules.py: %s is not a variable of the monitoring role" % name)
        variables[name] = value
    variables["ansible_managed"] = "Rendered by tests/prometheus/render_rules.py"
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(os.path.join(ROLE, "templates")),
                             trim_blocks=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters["comment"] = lambda text: "#\n# %s\n#" % text
    text = env.get_template("halb-alerts.rules.yml.j2").render(**variables)
    with open(out, "w") as handle:
        handle.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
