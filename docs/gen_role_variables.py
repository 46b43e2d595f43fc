# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render each role's README (roles/<role>/README.md) from its meta/argument_specs.yml.

A README holds the role's title, what its ``main`` entry point does, a usage snippet, then one section per
entry point (``main`` first, the others in the order of the specs) with its variable table: variable, type,
default, choices, description. An entry point whose options equal ``main``'s says so instead of repeating the
table.

    python docs/gen_role_variables.py          # rewrite the role READMEs that are out of date
    python docs/gen_role_variables.py --check  # exit 1 when any role README is out of date, naming it
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
COLLECTION = "halb.nginx_keepalived"
REGENERATE = "python docs/gen_role_variables.py"
# Ansible documentation markup -> Markdown code spans: C(x) O(x) V(x) RV(x) E(x) P(x)
_MARKUP = re.compile(r"\b(?:C|O|V|RV|E|P)\(([^)]*)\)")
_ITALIC = re.compile(r"\bI\(([^)]*)\)")
_BOLD = re.compile(r"\bB\(([^)]*)\)")

# Where each role runs and which playbook of the collection runs it (the usage snippet of its README).
USAGE = {
    "drill": ("clients", "playbooks/drill.yml", {"drill_name": "graceful"}),
    "keepalived": ("load_balancers", "playbooks/site.yml", None),
    "monitoring": ("monitoring:load_balancers", "playbooks/monitoring.yml", None),
    "nginx_lb": ("load_balancers", "playbooks/site.yml", None),
    "webserver": ("webservers", "playbooks/site.yml", None),
}


def _prose(value):
    """Ansible documentation text (a string or a list of strings) as one line of Markdown."""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    text = _MARKUP.sub(lambda m: "`%s`" % m.group(1), str(value or ""))
    text = _ITALIC.sub(r"*\1*", text)
    text = _BOLD.sub(r"**\1**", text)
    return " ".join(text.split())


def _text(value):
    """The same, for a table cell."""
    return _prose(value).replace("|", "\\|")


def _paragraphs(value):
    """A spec's description (a string or a list of strings) as Markdown paragraphs."""
    items = value if isinstance(value, list) else [value] if value else []
    return [_prose(item) for item in items]


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


def table(options):
    """The variable table of one entry point's options (Markdown lines)."""
    return ["| variable | type | default | choices | description |", "|---|---|---|---|---|"] + list(_rows(options))


def load_specs(root=ROOT):
    """Return [(role, [(entry point, spec)])] sorted by role name, ``main`` first among a role's entry points."""
    roles_dir = os.path.join(root, "roles")
    specs = []
    for role in sorted(os.listdir(roles_dir)):
        path = os.path.join(roles_dir, role, "meta", "argument_specs.yml")
        if not os.path.isfile(path):
            continue
        with open(path) as handle:
            data = yaml.safe_load(handle) or {}
        entries = list((data.get("argument_specs") or {}).items())
        entries.sort(key=lambda item: item[0] != "main")
        if entries:
            specs.append((role, entries))
    return specs


def _usage(role, entries):
    hosts, playbook, extra = USAGE.get(role, ("all", "playbooks/site.yml", None))
    lines = [
        "## Usage",
        "",
        "[`%s`](../../%s) runs it; in a playbook of your own:" % (playbook, playbook),
        "",
        "```yaml",
        "- name: Apply %s.%s" % (COLLECTION, role),
        "  hosts: %s" % hosts,
        "  roles:",
        "    - role: %s.%s" % (COLLECTION, role),
    ]
    for name, value in (extra or {}).items():
        lines.append("      %s: %s" % (name, value))
    lines += ["```", ""]
    others = [name for name, dummy in entries if name != "main"]
    if others:
        lines += [
            "Its other entry points run with `ansible.builtin.include_role` and `tasks_from: <entry point>` (%s)."
            % ", ".join("`%s`" % name for name in others),
            "",
        ]
    return lines


def render_role(role, entries):
    """The whole README.md of one role."""
    main = dict(entries)["main"] if "main" in dict(entries) else entries[0][1]
    out = [
        "# %s.%s" % (COLLECTION, role),
        "",
        "<!-- Generated from roles/%s/meta/argument_specs.yml by `%s`; do not edit by hand. -->" % (role, REGENERATE),
        "",
        _prose(main.get("short_description")),
        "",
    ]
    for paragraph in _paragraphs(main.get("description")):
        out += [paragraph, ""]
    out += _usage(role, entries)
    out += [
        "Part of the collection [%s](../../README.md)." % COLLECTION,
        "",
        "## Role variables",
        "",
    ]
    main_options = main.get("options") or {}
    for name, spec in entries:
        out += ["### Entry point `%s`" % name, ""]
        if spec is not main:
            out += [_prose(spec.get("short_description")), ""]
            for paragraph in _paragraphs(spec.get("description")):
                out += [paragraph, ""]
        options = spec.get("options") or {}
        if not options:
            out += ["No options.", ""]
        elif spec is not main and options == main_options:
            out += ["The same options as `main` (the table above).", ""]
        else:
            out += table(options) + [""]
    return "\n".join(out).rstrip("\n") + "\n"


def readme_path(role, root=ROOT):
    return os.path.join(root, "roles", role, "README.md")


def render(root=ROOT):
    """{path of a role README: its wanted text} for every role with argument specs."""
    return {readme_path(role, root): render_role(role, entries) for role, entries in load_specs(root)}


def stale(root=ROOT):
    """The role READMEs (paths) whose text differs from what the specs render, or that are missing."""
    out = []
    for path, wanted in sorted(render(root).items()):
        current = None
        if os.path.isfile(path):
            with open(path) as handle:
                current = handle.read()
        if current != wanted:
            out.append(path)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when any role README is out of date")
    parser.add_argument("--root", default=ROOT, help="the collection root (default: this checkout)")
    args = parser.parse_args(argv)
    outdated = stale(args.root)
    if args.check:
        for path in outdated:
            print("%s is out of date; run: %s" % (os.path.relpath(path, args.root), REGENERATE), file=sys.stderr)
        return 1 if outdated else 0
    wanted = render(args.root)
    for path in outdated:
        with open(path, "w") as handle:
            handle.write(wanted[path])
        print("%s updated" % os.path.relpath(path, args.root))
    return 0


if __name__ == "__main__":
    sys.exit(main())
