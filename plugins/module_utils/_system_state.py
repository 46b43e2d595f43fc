# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Parse what halb.nginx_keepalived.system_state reads from a host: packages, systemd units.

A no-change deploy is dominated by round trips, not by the work each does: the roles read the packages, units,
users and files they manage in one call, and run a package manager, the user module or systemd only for what
differs. These functions turn the commands' output into that answer; the module runs the commands.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# dpkg's status letter (second of db:Status-Abbrev) of an installed package: installed, or installed with triggers
# awaited or pending. Anything else (not installed, config files only, half installed, unpacked) needs the package
# manager; so does a reinstall-required flag (third letter R).
_DPKG_INSTALLED = frozenset("iWt")

DPKG_QUERY_FORMAT = "${Package}\\t${db:Status-Abbrev}\\t${Version}\\n"
RPM_QUERY_FORMAT = "%{NAME}\\t%{VERSION}-%{RELEASE}\\n"
UNIT_PROPERTIES = ("Id", "LoadState", "ActiveState", "UnitFileState")


def package_query_argv(pkg_mgr, names):
    """The command that reads the installed version of each of names: dpkg-query on apt hosts, rpm elsewhere (the
    program by name; the module resolves its path). Its output is parse_package_query's input."""
    if pkg_mgr == "apt":
        return ["dpkg-query", "-W", "-f=" + DPKG_QUERY_FORMAT] + list(names)
    return ["rpm", "-q", "--qf", RPM_QUERY_FORMAT] + list(names)


def parse_package_query(pkg_mgr, text, names):
    """{name: version or None} from package_query_argv's output."""
    return parse_dpkg_query(text, names) if pkg_mgr == "apt" else parse_rpm_query(text, names)


def parse_dpkg_query(text, names):
    """{name: version or None} for each of names, from `dpkg-query -W -f=DPKG_QUERY_FORMAT names...`.

    dpkg-query leaves out the packages it never heard of (and says so on stderr): they are not installed.
    """
    found = {}
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) < 3:
            continue
        name, abbrev, version = fields[0], fields[1], fields[2]
        status = abbrev[1:2]
        flag = abbrev[2:3].strip()
        if status in _DPKG_INSTALLED and flag != "R" and version:
            found[name] = version
    return dict((name, found.get(name)) for name in names)


def parse_rpm_query(text, names):
    """{name: version or None} from `rpm -q --qf RPM_QUERY_FORMAT names...` (it prints "package X is not installed")."""
    found = {}
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) == 2 and fields[0] and " " not in fields[0]:
            found[fields[0]] = fields[1]
    return dict((name, found.get(name)) for name in names)


def unit_name(name):
    """systemctl's name for a unit given with or without its suffix (nginx -> nginx.service)."""
    return name if "." in name else name + ".service"


def parse_systemctl_show(text, names):
    """{name: {loaded, active, enabled, active_state, unit_file_state}} from `systemctl show -p Id,... units...`.

    systemctl prints one block of Key=Value lines per unit, in the order asked, separated by a blank line.
    enabled is true only for UnitFileState enabled (what systemd's enable makes); a unit that is not found is
    neither loaded, active nor enabled.
    """
    blocks = []
    current = {}
    for line in text.splitlines() + [""]:
        if not line.strip():
            if current:
                blocks.append(current)
                current = {}
            continue
        key, sep, value = line.partition("=")
        if sep:
            current[key] = value
    by_id = dict((block.get("Id", ""), block) for block in blocks)
    states = {}
    for index, name in enumerate(names):
        block = by_id.get(unit_name(name))
        if block is None and index < len(blocks):
            block = blocks[index]
        block = block or {}
        load_state = block.get("LoadState", "")
        active_state = block.get("ActiveState", "")
        unit_file_state = block.get("UnitFileState", "")
        states[name] = {
            "loaded": load_state == "loaded",
            "active": active_state == "active",
            "enabled": unit_file_state == "enabled",
            "active_state": active_state,
            "unit_file_state": unit_file_state,
        }
    return states
