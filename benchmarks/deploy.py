# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""make bench, deploy section (issue 29): what a deploy costs over each connection Ansible can reach the bench lab by
(the docker connection, and SSH as users reach their hosts: inventories/bench with -e bench_connection=ssh), on a
fresh lab each: the first deploy (source build), a no-change run three times, a one-file change (and back), and the
repair of four drifts (lab/drift_plant.yml). Each run's wall time, controller CPU, load average before it, and
per host its tasks, changed tasks, round trips and the commands Ansible ran there
(benchmarks/callback_plugins/halb_roundtrips.py). Hooked into run.py (run) and report.py (section, merge)."""

from __future__ import absolute_import, division, print_function

import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile

__metaclass__ = type

HERE = os.path.dirname(os.path.abspath(__file__))
CONNECTIONS = ("docker", "ssh")
NO_CHANGE_RUNS = 3
# The one-file change: web1's index page (one file the webserver role manages) gets a suffix; the next run without
# it puts the page back. The expression is the role's default (roles/webserver/defaults/main.yml
# webserver_page_content) plus the suffix on web1, so that no other host's page changes.
ONE_FILE_HOST = "web1"
ONE_FILE_VARS = {"webserver_page_content": "{{ ansible_facts['hostname'] }} {{ ansible_facts['default_ipv4']['address'] | default('') }}"
                                           "{{ ' (bench one-file change)' if inventory_hostname == '%s' else '' }}" % ONE_FILE_HOST}
# The kinds of run, in the order they run and are reported.
KINDS = ("first", "no_change", "one_file", "one_file_back", "drift_repair")
TITLES = {"first": "first deploy (source build)", "no_change": "no change", "one_file": "one-file change (%s's index page)" % ONE_FILE_HOST,
          "one_file_back": "one-file change back", "drift_repair": "drift repair (4 drifts, drift_plant.yml)"}


def collection_commit(collections):
    """The commit of the collection checkout under an ANSIBLE_COLLECTIONS_PATH root ('-dirty' with local changes)."""
    path = os.path.join(collections, "ansible_collections", "halb", "nginx_keepalived")
    try:
        return subprocess.check_output(["git", "-C", os.path.realpath(path), "describe", "--always", "--dirty", "--abbrev=7"],
                                       universal_newlines=True, stderr=subprocess.DEVNULL).strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def ssh_settings(root):
    """The ssh connection's settings that shape its round trips, as ansible-config reports them from root."""
    try:
        dump = json.loads(subprocess.check_output(["ansible-config", "dump", "-t", "connection", "-f", "json"], cwd=root,
                                                  universal_newlines=True, stderr=subprocess.DEVNULL))
    except (OSError, ValueError, subprocess.CalledProcessError):
        return {}
    for plugin in dump:
        if "ssh" in plugin:
            return {o["name"]: o["value"] for o in plugin["ssh"] if o["name"] in ("ssh_args", "pipelining", "ssh_transfer_method")}
    return {}


def _stop_ssh_masters(control_dir):
    """Stop the ControlPersist masters a run left in its own ControlPath directory; return their CPU seconds (the
    masters run detached from ansible-playbook, so its rusage misses them)."""
    cpu = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for sock in sorted(os.listdir(control_dir)):
        path = os.path.join(control_dir, sock)
        opts = ["-o", "ControlPath=" + path]
        try:
            check = subprocess.run(["ssh"] + opts + ["-O", "check", "halb"], capture_output=True, text=True, timeout=10, check=False)
            pid = re.search(r"pid=(\d+)", check.stderr)
            if pid:
                with open("/proc/%s/stat" % pid.group(1)) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                cpu += (int(fields[11]) + int(fields[12])) / tick
            subprocess.run(["ssh"] + opts + ["-O", "exit", "halb"], capture_output=True, timeout=10, check=False)
        except (OSError, ValueError, IndexError, subprocess.TimeoutExpired):
            pass
    shutil.rmtree(control_dir, ignore_errors=True)
    return round(cpu, 2)


def measured(args, playbook, connection, name, playbook_path, extra=None, env=None, out_dir=None, timeout=1800):
    """One measured ansible-playbook run over ``connection``; returns its record. ``env`` adds environment variables
    (benchmarks/fleet.py's variants: forks, strategy); ``out_dir`` replaces <results>/deploy/<connection>."""
    out_dir = out_dir or os.path.join(args.results, "deploy", connection)
    os.makedirs(out_dir, exist_ok=True)
    counts = os.path.join(out_dir, name + ".counts.json")
    if os.path.exists(counts):
        os.remove(counts)
    env = dict(env or {}, ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, "callback_plugins"), ANSIBLE_CALLBACKS_ENABLED="halb_roundtrips",
               HALB_ROUNDTRIPS_OUT=counts)
    control_dir = None
    if connection == "ssh":
        # Each run opens its own master connections (ControlPersist), as a user's first run of the day does.
        control_dir = tempfile.mkdtemp(prefix="halb-cp-")
        env["ANSIBLE_SSH_CONTROL_PATH_DIR"] = control_dir
    record = {}
    try:
        rc, secs, log = playbook(args, os.path.join(os.path.relpath(out_dir, args.results), name), playbook_path,
                                 dict(extra or {}, bench_connection=connection), json_out=True, env=env, measure=record,
                                 timeout=timeout)
    finally:
        if control_dir:
            record["ssh_master_cpu_s"] = _stop_ssh_masters(control_dir)
    record.update(rc=rc, seconds=secs, log=os.path.relpath(log, args.results))
    record["cpu_s"] = round(record["cpu_user_s"] + record["cpu_sys_s"] + record.get("ssh_master_cpu_s", 0.0), 2)
    try:
        with open(counts) as f:
            record.update(json.load(f))
    except (OSError, ValueError):
        record["hosts"] = {}
    hosts = record["hosts"]
    print("      cpu %.1f s, load %s; tasks/round trips/commands: %s" % (record["cpu_s"], record["load"][0], ", ".join(
        "%s %s/%s/%s" % (h, c["tasks"], c["round_trips"], c["commands"]) for h, c in sorted(hosts.items()))), flush=True)
    return record


def run(args, playbook, say, deploy_details, connection):
    """The deploy section over one connection, on a lab that nothing has been deployed to; returns its runs."""
    deploy_path = "playbooks/master_backup.yml"
    runs = {}

    def deploy(kind, extra=None, name=None):
        record = measured(args, playbook, connection, name or kind, deploy_path, extra)
        details = deploy_details(os.path.join(args.results, record["log"]))
        record.update(build_s=details.get("build_s", {}), changed=details.get("changed", {}), failures=details.get("failures", {}))
        return record

    say("Deploy section over %s: first deploy (builds keepalived)" % connection)
    runs["first"] = deploy("first")
    if runs["first"]["rc"] != 0:
        return runs
    say("Deploy section over %s: no-change run x%d" % (connection, NO_CHANGE_RUNS))
    runs["no_change"] = [deploy("no_change", name="no-change-%d" % (i + 1)) for i in range(NO_CHANGE_RUNS)]
    say("Deploy section over %s: one-file change (%s's index page), then back" % (connection, ONE_FILE_HOST))
    runs["one_file"] = deploy("one_file", ONE_FILE_VARS, name="one-file")
    runs["one_file_back"] = deploy("one_file_back", name="one-file-back")
    say("Deploy section over %s: plant four drifts (lab/drift_plant.yml), then the repair" % connection)
    rc, secs, log = playbook(args, "deploy/%s/drift-plant" % connection, "lab/drift_plant.yml", {"bench_connection": connection})
    runs["drift_plant"] = {"rc": rc, "seconds": secs, "log": os.path.relpath(log, args.results)}
    if rc != 0:
        return runs
    runs["drift_repair"] = deploy("drift_repair", name="drift-repair")
    # Whatever the repair did, the lab goes on as deployed (later steps drill it).
    rc, secs, log = playbook(args, "deploy/%s/drift-heal" % connection, "lab/drift_plant.yml",
                             {"bench_connection": connection, "drift_heal": True})
    runs["drift_heal"] = {"rc": rc, "seconds": secs, "log": os.path.relpath(log, args.results)}
    return runs


def failed(results):
    """Whether a run of the deploy section failed (first deploy, no-change runs, one-file change, planting)."""
    for conn in ((results.get("deploy_section") or {}).get("connections") or {}).values():
        runs = [conn.get(k) for k in ("first", "one_file", "one_file_back", "drift_plant")] + list(conn.get("no_change") or [])
        if any(r and r.get("rc") for r in runs):
            return True
    return False


def merge(merged, results):
    """Add a run's deploy section to ``merged["deploy_sections"]``: one per label (the collection commit it measured),
    a later run's connection replacing the same connection of the same label."""
    section = results.get("deploy_section")
    if not section:
        return
    sections = merged.setdefault("deploy_sections", [])
    for existing in sections:
        if existing["label"] == section["label"]:
            existing["connections"].update(section.get("connections") or {})
            return
    sections.append(dict(section, connections=dict(section.get("connections") or {})))


def _sections(results):
    if results.get("deploy_sections"):
        return results["deploy_sections"]
    return [results["deploy_section"]] if results.get("deploy_section") else []


def _median(records, key):
    values = [r.get(key) for r in records if r.get(key) is not None]
    return statistics.median(values) if values else None


def _total(record, key):
    hosts = record.get("hosts") or {}
    return sum(c.get(key, 0) for c in hosts.values()) if hosts else None


def _kind_record(conn, kind):
    """One record per kind; the no-change runs as their median (per value)."""
    if kind != "no_change":
        return conn.get(kind)
    runs = conn.get("no_change") or []
    if not runs:
        return None
    hosts = sorted({h for r in runs for h in r.get("hosts") or {}})
    return {
        "seconds": _median(runs, "seconds"), "cpu_s": _median(runs, "cpu_s"), "rc": max(r.get("rc", 0) for r in runs),
        "hosts": {h: {key: statistics.median([(r.get("hosts") or {}).get(h, {}).get(key, 0) for r in runs])
                      for key in ("tasks", "changed", "round_trips", "commands")} for h in hosts},
    }


def _fmt(value):
    if value is None:
        return "-"
    if isinstance(value, float):
        return ("%.1f" % value).rstrip("0").rstrip(".") if value != int(value) else "%d" % value
    return str(value)


def _per_host(record, *keys):
    hosts = (record or {}).get("hosts") or {}
    return ", ".join("%s %s" % (h, "/".join(_fmt(c.get(k)) for k in keys)) for h, c in sorted(hosts.items())) or "-"


def _row(title, conn_name, record):
    wall = _fmt(record.get("seconds"))
    if record.get("rc"):
        wall += " (rc %s)" % record["rc"]
    load = record.get("load")
    return "| %s | %s | %s | %s | %s | %s | %s | %s |" % (
        title, conn_name, wall, _fmt(record.get("cpu_s")), _per_host(record, "tasks", "round_trips"),
        _per_host(record, "commands"), _per_host(record, "changed"), _fmt(load[0]) if load else "-")


def _section_table(section):
    lines = ["| run | connection | wall (s) | controller CPU (s) | tasks/round trips per host | commands per host"
             " | changed per host | load (1 min) before |", "|---|---|---|---|---|---|---|---|"]
    connections = section.get("connections") or {}
    for kind in KINDS:
        for conn_name in CONNECTIONS:
            conn = connections.get(conn_name)
            if not conn:
                continue
            if kind == "no_change":
                for index, record in enumerate(conn.get("no_change") or []):
                    lines.append(_row("no change, run %d" % (index + 1), conn_name, record))
                if conn.get("no_change"):
                    lines.append(_row("no change, median", conn_name, _kind_record(conn, "no_change")))
            elif conn.get(kind):
                lines.append(_row(TITLES[kind], conn_name, conn[kind]))
        if kind == "one_file_back":
            for conn_name in CONNECTIONS:
                plant = (connections.get(conn_name) or {}).get("drift_plant")
                if plant and plant.get("rc"):
                    lines.append("| drift planting **failed** (rc %s), no repair measured | %s | | | | | | |" % (plant["rc"], conn_name))
    return lines


def _comparison(sections):
    labels = [s["label"] for s in sections]
    arrow = " -> ".join
    lines = ["| run | connection | wall (s) | controller CPU (s) | round trips, all hosts | commands, all hosts | tasks, all hosts |",
             "|---|---|---|---|---|---|---|"]
    for kind in ("first", "no_change", "one_file", "drift_repair"):
        for conn_name in CONNECTIONS:
            records = [_kind_record((s.get("connections") or {}).get(conn_name) or {}, kind) or {} for s in sections]
            if not any(records):
                continue
            title = "no change (median of %d)" % NO_CHANGE_RUNS if kind == "no_change" else TITLES[kind]
            lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
                title, conn_name, arrow(_fmt(r.get("seconds")) for r in records), arrow(_fmt(r.get("cpu_s")) for r in records),
                arrow(_fmt(_total(r, "round_trips")) for r in records), arrow(_fmt(_total(r, "commands")) for r in records),
                arrow(_fmt(_total(r, "tasks")) for r in records)))
    return ["Each cell reads %s." % " -> ".join("`%s`" % label for label in labels), ""] + lines


def section(results):
    """Markdown lines of the deploy section (empty when it did not run)."""
    sections = _sections(results)
    if not sections:
        return []
    lines = [
        "## Deploy: first deploy, no change, one file, drift repair, over docker and SSH",
        "",
        "`benchmarks/run.py --only deploy` (issue 29): on a fresh bench lab per connection, `playbooks/master_backup.yml`",
        "as the first deploy (keepalived built from source), %d no-change runs, a one-file change (%s's index page," % (NO_CHANGE_RUNS, ONE_FILE_HOST),
        "`webserver_page_content`) and the run that puts it back, then four drifts planted by `lab/drift_plant.yml`",
        "(lb2, the backup: its check script edited by hand, curl removed, keepalived's binary replaced by a same-version",
        "copy on a new inode; web2: nginx stopped and disabled) and the one run that should repair them. The repair is",
        "timed, not judged: its rc and changed counts are what the roles did.",
        "",
        "- **docker**: `community.docker.docker`, one `docker exec` per command. **ssh**: `-e bench_connection=ssh`,",
        "  root by key to each container's address on halb-bench (198.18.74.0/24), Ansible's default `ssh_args`",
        "  (`%s`), `pipelining = true` (ansible.cfg), host keys neither checked nor"
        % ((sections[-1].get("ssh") or {}).get("ssh_args") or "-C -o ControlMaster=auto -o ControlPersist=60s"),
        "  remembered. Each run gets its own ControlPath directory, so it opens its own master connections (ControlPersist",
        "  keeps them for the rest of the run), as a first run of the day does; they are stopped after the run.",
        "- *Controller CPU*: user + system seconds of the ansible-playbook process and everything it waited for (its",
        "  workers, `docker exec`, `ssh` clients), plus over SSH the ControlPersist masters (detached from it).",
        "- *Tasks* per host: task results that ran (ok or changed, not skipped), as the recap counts them. *Round trips*:",
        "  module executions that reached the host, from the results (loop items, retries and async polls each count;",
        "  controller-only actions such as set_fact, assert, include_*, group_by and tasks delegated to localhost do not;",
        "  a delegated task counts for the host it ran on). *Commands*: what Ansible really ran there through the",
        "  connection, counted in its workers: one per pipelined module, more for `template`/`copy` (a stat, then",
        "  a temporary directory, the transfer, the copy and its cleanup when the file differs) and `script`.",
        "",
    ]
    for sec in sections:
        lines += ["### `%s` (collections: `%s`)" % (sec.get("label"), sec.get("collections", "-")), ""]
        lines += _section_table(sec) + [""]
    if len(sections) > 1:
        lines += ["### Before and after", ""] + _comparison(sections) + [""]
    return lines
