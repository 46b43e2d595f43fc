# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""README.md's role variable tables must equal what docs/gen_role_variables.py renders from the specs."""

from __future__ import absolute_import, division, print_function

import importlib.util
import os

__metaclass__ = type

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _generator():
    path = os.path.join(ROOT, "docs", "gen_role_variables.py")
    spec = importlib.util.spec_from_file_location("gen_role_variables", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_role_variables_match_argument_specs():
    gen = _generator()
    with open(os.path.join(ROOT, "README.md")) as handle:
        readme = handle.read()
    wanted = gen.splice(readme, gen.render(ROOT))
    assert readme == wanted, (
        "README.md's role variable tables differ from roles/*/meta/argument_specs.yml; regenerate them with: "
        "%s" % gen.REGENERATE
    )


def test_every_role_has_a_table():
    gen = _generator()
    body = gen.render(ROOT)
    roles = sorted(d for d in os.listdir(os.path.join(ROOT, "roles"))
                   if os.path.isfile(os.path.join(ROOT, "roles", d, "meta", "argument_specs.yml")))
    assert roles, "no role with meta/argument_specs.yml found"
    for role in roles:
        assert "### `halb.nginx_keepalived.%s`" % role in body


def test_markup_is_rendered_as_markdown():
    gen = _generator()
    assert gen._text("Uses C(nginx -t) and O(keepalived_topology).") == "Uses `nginx -t` and `keepalived_topology`."
    assert gen._code("{{ a | default('x') }}") == "`{{ a \\| default('x') }}`"
    assert gen._code(["--enable-json"]) == '`["--enable-json"]`'
