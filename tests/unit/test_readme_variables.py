# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each roles/<role>/README.md must equal what docs/gen_role_variables.py renders from the role's argument specs."""

from __future__ import absolute_import, division, print_function

import fnmatch
import importlib.util
import os

import yaml

__metaclass__ = type

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _generator():
    path = os.path.join(ROOT, "docs", "gen_role_variables.py")
    spec = importlib.util.spec_from_file_location("gen_role_variables", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _roles():
    return sorted(d for d in os.listdir(os.path.join(ROOT, "roles"))
                  if os.path.isfile(os.path.join(ROOT, "roles", d, "meta", "argument_specs.yml")))


def test_role_readmes_match_argument_specs():
    gen = _generator()
    assert gen.stale(ROOT) == [], (
        "these role READMEs differ from their meta/argument_specs.yml; regenerate them with: %s" % gen.REGENERATE)


def test_every_role_and_entry_point_is_documented():
    gen = _generator()
    rendered = gen.render(ROOT)
    roles = _roles()
    assert roles, "no role with meta/argument_specs.yml found"
    for role in roles:
        text = rendered[os.path.join(ROOT, "roles", role, "README.md")]
        assert text.startswith("# halb.nginx_keepalived.%s\n" % role)
        with open(os.path.join(ROOT, "roles", role, "meta", "argument_specs.yml")) as handle:
            entry_points = list(yaml.safe_load(handle)["argument_specs"])
        positions = [text.index("### Entry point `%s`\n" % name) for name in entry_points]
        assert positions[entry_points.index("main")] == min(positions), "%s: main is not the first entry point" % role


def test_check_names_a_stale_readme(tmp_path, capsys):
    gen = _generator()
    meta = tmp_path / "roles" / "demo" / "meta"
    meta.mkdir(parents=True)
    (meta / "argument_specs.yml").write_text(
        "argument_specs:\n"
        "  validate:\n    short_description: Check only\n    options: &o\n"
        "      demo_port: {type: int, default: 80, description: The C(listen) port.}\n"
        "  main:\n    short_description: A demo role\n    description: [Serves I(one) page.]\n    options: *o\n")
    assert gen.main(["--check", "--root", str(tmp_path)]) == 1
    assert "roles/demo/README.md is out of date" in capsys.readouterr().err
    assert gen.main(["--root", str(tmp_path)]) == 0
    assert gen.main(["--check", "--root", str(tmp_path)]) == 0
    text = (tmp_path / "roles" / "demo" / "README.md").read_text()
    assert text.index("### Entry point `main`") < text.index("### Entry point `validate`")
    assert "| `demo_port` | int | `80` |  | The `listen` port. |" in text
    assert "Serves *one* page." in text
    assert "The same options as `main` (the table above)." in text
    (tmp_path / "roles" / "demo" / "README.md").write_text(text.replace("80", "8080"))
    assert gen.main(["--check", "--root", str(tmp_path)]) == 1


def test_markup_is_rendered_as_markdown():
    gen = _generator()
    assert gen._text("Uses C(nginx -t) and O(keepalived_topology).") == "Uses `nginx -t` and `keepalived_topology`."
    assert gen._code("{{ a | default('x') }}") == "`{{ a \\| default('x') }}`"
    assert gen._code(["--enable-json"]) == '`["--enable-json"]`'


def test_galaxy_build_keeps_the_role_readmes_and_docs():
    with open(os.path.join(ROOT, "galaxy.yml")) as handle:
        ignored = yaml.safe_load(handle).get("build_ignore") or []
    kept = ["README.md", "docs", "roles"] + ["roles/%s" % r for r in _roles()] + ["roles/%s/README.md" % r for r in _roles()]
    kept += ["docs/%s" % n for n in os.listdir(os.path.join(ROOT, "docs")) if n.endswith(".md")]
    dropped = [(path, pattern) for path in kept for pattern in ignored if fnmatch.fnmatch(path, pattern)]
    assert dropped == [], "galaxy.yml build_ignore drops documentation from the tarball: %s" % dropped
