# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""make bench's per-host counts of one ansible-playbook run (benchmarks/run.py's deploy section).

Enabled only for the bench's own runs: ANSIBLE_CALLBACK_PLUGINS=benchmarks/callback_plugins,
ANSIBLE_CALLBACKS_ENABLED=halb_roundtrips and HALB_ROUNDTRIPS_OUT=<file.json>; the stdout callback stays.
"""

from __future__ import absolute_import, division, print_function

import json
import os
import time

from ansible.plugins.callback import CallbackBase

__metaclass__ = type

DOCUMENTATION = r"""
name: halb_roundtrips
type: aggregate
short_description: Per host tasks, changed tasks and round trips of one run, as JSON
description:
  - Writes the file named by E(HALB_ROUNDTRIPS_OUT) when the run ends (make bench, benchmarks/run.py).
  - C(tasks) per host are the task results that ran (ok or changed, not skipped), as the recap counts them.
  - C(round_trips) per host are the module executions that reached the host, counted from the results. Each result
    that was not skipped counts (failed ones too), each loop item counts, and each retry of an C(until) loop or
    async poll counts. Actions that run on the controller alone do not count (set_fact, debug, assert, fail, meta,
    include and import, group_by, add_host, set_stats, validate_argument_spec, pause, include_vars), nor do tasks
    delegated to localhost. A delegated task counts for the host it was delegated to.
  - C(commands) and C(transfers) per host are measured where they happen, in Ansible's forked workers. The first
    counts the commands Ansible ran on the host through the connection, the second the files it put there. With
    pipelining a module is one command. An action plugin may run several. C(template) and C(copy) stat the file
    first, then transfer and copy it when it differs.
  - C(host_seconds) per host is the time from each task's start on the host (its worker starting) to its result,
    summed over the run. C(task_seconds) per task name (role prefix included; a name that runs more than once is
    summed) gives C(wall), from the task's first start to its last result, and C(hosts), the sum over the hosts.
"""

# Actions that never reach the host (ansible.builtin's names without their prefix).
CONTROLLER_ONLY = frozenset((
    "set_fact", "debug", "assert", "fail", "meta", "include_tasks", "include_role", "import_tasks", "import_role",
    "import_playbook", "include", "group_by", "add_host", "set_stats", "validate_argument_spec", "pause",
    "include_vars", "end_play", "end_host",
))
LOCAL_HOSTS = frozenset(("localhost", "127.0.0.1", "::1"))


def _short(action):
    for prefix in ("ansible.builtin.", "ansible.legacy."):
        if action.startswith(prefix):
            return action[len(prefix):]
    return action


def _count_commands(calls_path):
    """Wrap ActionBase's command and transfer methods so that each forked worker appends one line per command run
    on (or file put to) a host: 'host<TAB>kind<TAB>action'. Works because Ansible forks its workers from this
    process after the callbacks are loaded; on any surprise it counts nothing."""
    try:
        from ansible.executor import task_executor
        from ansible.plugins.action import ActionBase
    except ImportError:
        return False
    current = {}
    init = task_executor.TaskExecutor.__init__
    execute = ActionBase._low_level_execute_command
    transfer = ActionBase._transfer_data

    def record(action, kind):
        try:
            task = action._task
            host = task.delegate_to or current.get("host") or "?"
            line = "%s\t%s\t%s\n" % (host, kind, _short(task.action or "?"))
            fd = os.open(calls_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
            finally:
                os.close(fd)
        except Exception:  # noqa: BLE001  (never break the run being measured)
            pass

    def counted_init(self, host, *args, **kwargs):
        init(self, host, *args, **kwargs)
        current["host"] = getattr(host, "name", None)

    def counted_execute(self, *args, **kwargs):
        record(self, "command")
        return execute(self, *args, **kwargs)

    def counted_transfer(self, *args, **kwargs):
        record(self, "transfer")
        return transfer(self, *args, **kwargs)

    task_executor.TaskExecutor.__init__ = counted_init
    ActionBase._low_level_execute_command = counted_execute
    ActionBase._transfer_data = counted_transfer
    return True


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "halb_roundtrips"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.out = os.environ.get("HALB_ROUNDTRIPS_OUT")
        self.hosts = {}
        self.actions = {}
        self.calls = self.out + ".calls" if self.out else None
        self.measured = False
        self.started = {}
        self.host_seconds = {}
        self.task_seconds = {}
        if self.calls:
            if os.path.exists(self.calls):
                os.remove(self.calls)
            self.measured = _count_commands(self.calls)

    def _host(self, name):
        return self.hosts.setdefault(name, {"tasks": 0, "changed": 0, "failed": 0, "skipped": 0, "round_trips": 0,
                                            "commands": 0, "transfers": 0})

    def _round_trip(self, result):
        task = result.task
        action = _short(task.action or "")
        if action in CONTROLLER_ONLY:
            return
        host = task.delegate_to or result.host.get_name()
        if host in LOCAL_HOSTS:
            return
        self._host(host)["round_trips"] += 1
        per_host = self.actions.setdefault(host, {})
        per_host[action] = per_host.get(action, 0) + 1

    def v2_runner_on_start(self, host, task):
        self.started[(host.get_name(), task._uuid)] = time.time()

    def _time(self, result):
        """The host's time in this task; the task's wall time from its first start to its last result."""
        now = time.time()
        host = result.host.get_name()
        start = self.started.pop((host, result.task._uuid), None)
        if start is None:
            return
        self.host_seconds[host] = self.host_seconds.get(host, 0.0) + now - start
        timing = self.task_seconds.setdefault(result.task.get_name(), {"wall": 0.0, "hosts": 0.0, "_spans": {}})
        first, last = timing["_spans"].get(result.task._uuid, (start, now))
        timing["_spans"][result.task._uuid] = (min(first, start), max(last, now))
        timing["hosts"] += now - start

    def _task(self, result, status):
        self._time(result)
        counts = self._host(result.host.get_name())
        if status in ("ok", "changed"):
            counts["tasks"] += 1
            if status == "changed":
                counts["changed"] += 1
        else:
            counts[status] += 1
        # A loop's items were counted one by one (v2_runner_item_*).
        looped = result.task.loop is not None or bool(result.task.loop_with)
        if status != "skipped" and not looped:
            self._round_trip(result)

    def v2_runner_on_ok(self, result):
        self._task(result, "changed" if result.result.get("changed") else "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._task(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._task(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._time(result)

    def v2_runner_item_on_ok(self, result):
        self._round_trip(result)

    def v2_runner_item_on_failed(self, result):
        self._round_trip(result)

    def v2_runner_retry(self, result):
        self._round_trip(result)

    def v2_runner_on_async_poll(self, result):
        self._round_trip(result)

    def v2_playbook_on_stats(self, stats):
        if not self.out:
            return
        commands = {}
        if self.measured and os.path.exists(self.calls):
            with open(self.calls) as f:
                for line in f:
                    host, kind, action = line.rstrip("\n").split("\t")
                    if host not in LOCAL_HOSTS:
                        self._host(host)[kind + "s"] += 1
                        per_host = commands.setdefault(host, {})
                        per_host[action] = per_host.get(action, 0) + 1
            os.remove(self.calls)
        tasks = {}
        for name, timing in self.task_seconds.items():
            tasks[name] = {"wall": round(sum(last - first for first, last in timing["_spans"].values()), 3),
                           "hosts": round(timing["hosts"], 3)}
        data = {"hosts": self.hosts, "round_trip_actions": self.actions, "commands_measured": self.measured,
                "command_actions": commands, "task_seconds": tasks,
                "host_seconds": {host: round(seconds, 3) for host, seconds in self.host_seconds.items()}}
        with open(self.out, "w") as f:
            json.dump(data, f, indent=2, sort_keys=True)
