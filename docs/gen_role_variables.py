# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render the README's role variable tables from roles/*/meta/argument_specs.yml.

One table per role (its ``main`` entry point): variable, type, default, choices, description.
The tables replace whatever lies between ``<!-- BEGIN ROLE VARIABLES -->`` and
``<!-- END ROLE VARIABLES -->`` in README.md.

    python docs/gen_role_variables.py          # rewrite README.md
    python docs/gen_role_variables.py --check  # exit 1 when README.md is out of date
"""

from __future__ import absolute_import, division, print_function

import argparse
import json
import os
import re
import sys

import yaml

__metaclass__ = type

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEGIN = "<!-- BEGIN ROLE VARIABLES -->"
END = "<!-- END ROLE VARIABLES -->"
REGENERATE = "python docs/gen_role_variables.py"
# Ansible documentation markup -> Markdown code spans: C(x) O(x) V(x) RV(x) E(x) P(x)
_MARKUP = re.compile(r"\b(?:C|O|V|RV|E|P)\(([^)]*)\)")
_ITALIC = re.compile(r"\bI\(([^)]*)\)")
_BOLD = re.compile(r"\bB\(([^)]*)\)")


def _text(value):
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    text = _MARKUP.sub(lambda m: "`%s`" % m.group(1), str(value or ""))
    text = _ITALIC.sub(r"*\1*", text)
    text = _BOLD.sub(r"**\1**", text)
    return " ".join(text.split()).replace("|", "\\|")


def _code(value):
    if isinstance(value, (list, dict)):
        value = json.dumps(value)
    elif isinstance(value, bool):
        value = "true" if value else "false"
    value = str(value).replace("|", "\\|")
    if "`" in value:
        return "`` %s ``" % value
    return "`%s`" % value


def _type(spec):
    kind = spec.get("type", "str")
    if kind == "list" and spec.get("elements"):
        return "list of %s" % spec["elements"]
    return kind


def _rows(options, prefix=""):
    for name, spec in options.items():
        spec = spec or {}
        if spec.get("required"):
            default = "**required**"
        elif "default" in spec:
            default = _code(spec["default"])
        else:
            default = ""
        choices = ", ".join(_code(c) for c in spec.get("choices", []))
        yield "| `%s%s` | %s | %s | %s | %s |" % (
            prefix, name, _type(spec), default, choices, _text(spec.get("description")))
        if spec.get("options"):
            sub = "%s%s%s." % (prefix, name, "[]" if spec.get("type") == "list" else "")
            yield from _rows(spec["options"], sub)


def load_specs(root=ROOT):
    """Return [(role, entry point main spec)] sorted by role name."""
    roles_dir = os.path.join(root, "roles")
    specs = []
    for role in sorted(os.listdir(roles_dir)):
        path = os.path.join(roles_dir, role, "meta", "argument_specs.yml")
        if not os.path.isfile(path):
            continue
        with open(path) as handle:
            data = yaml.safe_load(handle) or {}
        main = (data.get("argument_specs") or {}).get("main")
        if main:
            specs.append((role, main))
    return specs


def render(root=ROOT):
    """The Markdown that belongs between the markers (without the markers)."""
    out = [
        "<!-- Generated from roles/*/meta/argument_specs.yml by `%s`; do not edit by hand. -->" % REGENERATE,
        "",
        "## Role variables",
        "",
    ]
    for role, main in load_specs(root):
        out += [
            "### `halb.nginx_keepalived.%s`" % role,
            "",
            _text(main.get("short_description")),
            "",
            "| variable | type | default | choices | description |",
            "|---|---|---|---|---|",
        ]
        out += list(_rows(main.get("options") or {}))
        out.append("")
    return "\n".join(out)


def splice(readme, body):
    """README text with ``body`` between the markers; ValueError when the markers are missing."""
    start = readme.find(BEGIN)
    end = readme.find(END)
    if start < 0 or end < start:
        raise ValueError("README.md needs the markers %s and %s (in this order)" % (BEGIN, END))
    return readme[:start + len(BEGIN)] + "\n" + body + "\n" + readme[end:]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when README.md is out of date")
    parser.add_argument("--readme", default=os.path.join(ROOT, "README.md"))
    args = parser.parse_args(argv)
    with open(args.readme) as handle:
        current = handle.read()
    wanted = splice(current, render())
    if args.check:
        if current != wanted:
            print("README.md's role variables are out of date; run: %s" % REGENERATE, file=sys.stderr)
            return 1
        return 0
    if current != wanted:
        with open(args.readme, "w") as handle:
            handle.write(wanted)
        print("README.md updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
