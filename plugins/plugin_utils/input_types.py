# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The type of every inventory value, at every depth, against the roles' argument specs; control characters.

An argument spec alone lets wrong types through: it accepts ``"portal"`` where a list of server names belongs
(and leaves the string as it was, so nginx.conf renders ``server_name "p" "o" "r" "t" "a" "l"``), and the flags
of list elements are read later with ``| bool``, which turns ``"enable"`` into false. Here every value the
inventory gives (``hostvars``: role defaults are not checked) is compared with the type its spec declares, down
through list elements and their options, and a string holding a control character (newline, tab, NUL, ...) is
refused wherever it lands, except where the destination takes several lines (a page's content). An option a list
element or mapping does not declare or lacks though it is required, and a value outside an option's ``choices``,
are refused here too, naming the path and what is allowed, before any role's own argument-spec validation would
name them without host or list index.

Each problem is ``(rule id, sentence)``; the sentence names the host, the variable with its path, the type
given and the type wanted. Controller-side, stdlib only.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import re
from collections.abc import Iterator, Mapping
from typing import Any

Problem = tuple[str, str]

# Words Ansible reads as a yes/no flag (ansible.module_utils.parsing.convert_bool), compared in lower case.
BOOL_WORDS = frozenset(("yes", "no", "true", "false", "on", "off", "1", "0", "y", "n", "t", "f"))
# Any C0 control character or DEL.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Variables (path with list indexes removed) whose destination takes several lines: the web page's body.
MULTILINE = frozenset(("webserver_page_content", "webserver_sites.page_content"))
_NAMES = {"\n": "a newline", "\t": "a tab", "\r": "a carriage return", "\x00": "a NUL"}
_INTEGER = re.compile(r"\A[+-]?[0-9]+\Z")
_NUMBER = re.compile(r"\A[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\Z")

RULE_TYPE = "input-type"
RULE_BOOL = "input-bool-word"
RULE_CONTROL = "input-control-character"
RULE_UNKNOWN_OPTION = "input-unknown-option"
RULE_CHOICE = "input-choice"
RULE_REQUIRED_OPTION = "input-required-option"


def _kind(value: Any) -> str:
    """How a problem names the type given."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    if value is None:
        return "null"
    return type(value).__name__


def _wanted(spec: Mapping[str, Any]) -> str:
    kind = spec.get("type", "str")
    if kind == "list":
        elements = spec.get("elements")
        return "a list" + {"str": " of strings", "dict": " of mappings", "int": " of whole numbers"}.get(
            str(elements), "")
    return {
        "dict": "a mapping",
        "bool": "a boolean (true/false or yes/no)",
        "int": "a whole number",
        "float": "a number",
        "str": "a string",
        "path": "a path (a string)",
    }.get(str(kind), str(kind))


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "raw":
        return True
    if kind == "list":
        return isinstance(value, (list, tuple))
    if kind == "dict":
        return isinstance(value, Mapping)
    if kind in ("str", "path"):
        return isinstance(value, str) or (isinstance(value, (int, float)) and not isinstance(value, bool))
    if kind == "int":
        if isinstance(value, bool):
            return False
        if isinstance(value, int):
            return True
        if isinstance(value, float):
            return value.is_integer()
        return isinstance(value, str) and bool(_INTEGER.match(value.strip()))
    if kind == "float":
        if isinstance(value, bool):
            return False
        return isinstance(value, (int, float)) or (isinstance(value, str) and bool(_NUMBER.match(value.strip())))
    if kind == "bool":
        if isinstance(value, bool):
            return True
        if isinstance(value, int):
            return value in (0, 1)
        return isinstance(value, str) and value.strip().lower() in BOOL_WORDS
    return True


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string inside ``value`` (mapping keys too), with its path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(key, path)
            yield from _strings(item, "%s.%s" % (path, key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _strings(item, "%s[%d]" % (path, index))


def _generic(path: str) -> str:
    """A path without its list indexes: ``webserver_sites[2].page_content`` -> ``webserver_sites.page_content``."""
    return re.sub(r"\[[0-9]+\]", "", path)


def _choice_problems(host: str, path: str, value: Any, spec: Mapping[str, Any], secret: bool) -> list[Problem]:
    """A value (each element of a list) outside the spec's ``choices``, compared as Ansible does after conversion."""
    choices = spec.get("choices")
    if not choices:
        return []
    allowed = [str(choice) for choice in choices]
    if isinstance(value, (list, tuple)):
        items = [("%s[%d]" % (path, index), item) for index, item in enumerate(value)]
    else:
        items = [(path, value)]
    return [(RULE_CHOICE, "%s: %s is %s; allowed: %s" % (
        host, where, "not shown (secret)" if secret else _shown(item), ", ".join(allowed)))
        for where, item in items if str(item) not in allowed]


def _option_problems(host: str, path: str, value: Mapping[Any, Any], options: Mapping[str, Any],
                     secret: bool) -> list[Problem]:
    """Keys of a mapping that its spec's ``options`` do not declare (Ansible's "Unsupported parameters"), and
    required options it lacks (Ansible's "missing required arguments")."""
    problems: list[Problem] = [
        (RULE_REQUIRED_OPTION, "%s: %s lacks option %s, which is required" % (host, path, name))
        for name in sorted(options) if options[name].get("required") and name not in value]
    for key in value:
        if key not in options:
            problems.append((RULE_UNKNOWN_OPTION, "%s: %s has option %s%s, which is not one of its options; allowed: %s"
                             % (host, path, _shown(key), "" if secret else " (%s)" % _shown(value[key]),
                                ", ".join(sorted(options)))))
    return problems


def value_problems(host: str, path: str, value: Any, spec: Mapping[str, Any], secret: bool = False) -> list[Problem]:
    """Problems of one value (at ``path``) against its spec, at every depth; control characters not included.
    A ``secret`` value is never shown."""
    kind = str(spec.get("type", "str"))
    if value is None:
        return []
    if not _type_ok(kind, value):
        if kind == "bool" and isinstance(value, str):
            return [(RULE_BOOL, "%s: %s is %s, which is not a yes/no word; allowed: true/false, yes/no, on/off, 1/0"
                     % (host, path, "a string" if secret else repr(value)))]
        return [(RULE_TYPE, "%s: %s is %s%s; wanted %s" % (
            host, path, _kind(value), "" if secret else " (%s)" % _shown(value), _wanted(spec)))]
    problems = _choice_problems(host, path, value, spec, secret)
    if kind == "list":
        element = {"type": spec.get("elements", "raw"), "options": spec.get("options")}
        for index, item in enumerate(value):
            problems += value_problems(host, "%s[%d]" % (path, index), item, element, secret)
    elif kind == "dict" and spec.get("options") and isinstance(value, Mapping):
        options = spec["options"]
        problems += _option_problems(host, path, value, options, secret)
        for key, item in value.items():
            if key in options:
                problems += value_problems(host, "%s.%s" % (path, key), item, options[key],
                                           secret or bool(options[key].get("no_log")))
    return problems


def control_problems(host: str, name: str, value: Any, secret: bool = False) -> list[Problem]:
    """A string inside ``value`` with a control character, unless its destination takes several lines. A ``secret``
    value is never shown."""
    problems: list[Problem] = []
    for path, text in _strings(value, name):
        match = _CONTROL.search(text)
        if not match:
            continue
        if _generic(path) in MULTILINE and match.group() in "\n\t" and not _CONTROL.search(
                text.replace("\n", "").replace("\t", "")):
            continue
        problems.append((RULE_CONTROL, "%s: %s holds a control character (%s at position %d) in %s; every value "
                         "lands in a configuration file, a unit or a script, where it would start a new line or "
                         "directive" % (host, path, _NAMES.get(match.group(), "U+%04X" % ord(match.group())),
                                        match.start(), "the secret" if secret else _shown(text))))
    return problems


def input_problems(host: str, given: Mapping[str, Any], options: Mapping[str, Mapping[str, Any]]) -> list[Problem]:
    """Problems of the variables a host's inventory gives (``given``) that the roles' spec ``options`` declare."""
    problems: list[Problem] = []
    for name in sorted(options):
        if name not in given:
            continue
        value = given[name]
        secret = bool(options[name].get("no_log"))
        problems += value_problems(host, name, value, options[name], secret)
        problems += control_problems(host, name, value, secret)
    return problems
