# -*- coding: utf-8 -*-
"""Where make test's time goes: record molecule's phases while a scenario runs, and print the timing tables.

  python3 tests/suite_timing.py record SCENARIO PHASES_TSV    copy stdin to stdout, noting when each molecule
                                                               action (create, converge, verify ...) starts
  python3 tests/suite_timing.py report [DIR]                  the summary table of .build/timings (make test)
  python3 tests/suite_timing.py profile LOG...                what dominates inside each scenario's log (molecule
                                                               logs written with the profile_tasks callback)

DIR holds steps.tsv (step, rc, start, end), molecule.tsv (scenario, rc, start, end), phases.tsv (scenario,
action, start) and load.tsv (epoch, load1, load5, load15), written by tests/run-steps.sh and tests/run-molecule.sh.
Timings are reported, never asserted.
"""

from __future__ import annotations

import collections
import os
import re
import sys
import time
from dataclasses import dataclass, field
from typing import Iterable, Iterator, TextIO

# molecule's actions, in the order a test sequence runs them.
ACTIONS = ("dependency", "cleanup", "destroy", "syntax", "create", "prepare", "converge", "idempotence",
           "side_effect", "verify")
# A molecule action starting: "INFO     [operations > converge] Executing", or in colour (PY_COLORS=1, the
# Makefile's default) "INFO     operations ➜ converge: Executing" with escape sequences between the words.
_EXECUTING = re.compile(r"\b(?P<action>" + "|".join(ACTIONS) + r")\b\W*Executing\b")
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
# profile_tasks' summary after each playbook run: "role : task name ----------------- 12.34s".
# The dashes may be gone where molecule wrapped the line between the name and the seconds.
_PROFILE_LINE = re.compile(r"^(?P<name>\S.*?)(?: -{3,})?\s+(?P<secs>\d+\.\d\d)s$")
_RECAP = re.compile(r"^PLAY RECAP \*")
# Task names by what they spend time on (the profile's categories); the first that matches wins.
CATEGORIES = (
    ("compile", re.compile(r"Build keepalived|compile|make install", re.I)),
    ("facts", re.compile(r"Gathering Facts|^(?:\S+ : )?Gather|setup", re.I)),
    ("waits", re.compile(r"\bwait|pause|until|settle|Record a steady|Record traffic", re.I)),
    ("packages", re.compile(r"\bInstall\b.*\bpackage|apt\b|\bpackages\b|build dependencies", re.I)),
    ("operations", re.compile(r"Run each operation|Run the operations", re.I)),
    ("drills", re.compile(r"^halb\.nginx_keepalived\.drill : ")),
    ("deploy", re.compile(r"^halb\.nginx_keepalived\.(?:keepalived|nginx_lb|webserver|monitoring) : ")),
)
# Everything else: the scenarios' own checks (verify playbooks, playbooks/verify.yml) and their helpers.
OTHER = "checks"


@dataclass
class Row:
    """A timed thing: a make step or a molecule scenario."""
    name: str
    rc: int
    start: int
    end: int

    @property
    def seconds(self) -> int:
        return self.end - self.start


def _records(path: str, width: int, separator: str | None = "\t") -> list[list[str]]:
    """The lines of a timing file split into fields, those with exactly width fields; a missing file has none
    (a partly written last line, from a run that was stopped, is skipped)."""
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as stream:
        return [parts for parts in (line.rstrip("\n").split(separator) for line in stream) if len(parts) == width]


def read_rows(path: str) -> list[Row]:
    """steps.tsv or molecule.tsv: name, rc, start, end (epoch seconds), one per line."""
    return [Row(name, int(rc), int(start), int(end)) for name, rc, start, end in _records(path, 4)]


def read_load(path: str) -> list[tuple[int, float]]:
    """load.tsv: epoch load1 load5 load15 -> [(epoch, load1)]."""
    return [(int(epoch), float(load1)) for epoch, load1, dummy5, dummy15 in _records(path, 4, None)]


def read_phases(path: str) -> dict[str, list[tuple[str, int]]]:
    """phases.tsv: scenario, action, start -> {scenario: [(action, start), ...]} in file order."""
    phases: dict[str, list[tuple[str, int]]] = collections.defaultdict(list)
    for scenario, action, start in _records(path, 3):
        phases[scenario].append((action, int(start)))
    return phases


def load_during(samples: list[tuple[int, float]], start: int, end: int) -> tuple[float, float] | None:
    """Mean and maximum 1-minute load average sampled in [start, end]; for a step shorter than the sampling
    interval, the sample nearest to its middle; None without samples."""
    inside = [load for epoch, load in samples if start <= epoch <= end]
    if not inside and samples:
        middle = (start + end) / 2
        inside = [min(samples, key=lambda sample: abs(sample[0] - middle))[1]]
    if not inside:
        return None
    return sum(inside) / len(inside), max(inside)


def phase_seconds(phases: list[tuple[str, int]], end: int) -> list[tuple[str, int]]:
    """Each action's duration: from its start to the next action's start (the last one to the scenario's end).
    An action that runs twice (destroy at the start and the end) is reported twice."""
    durations = []
    for index, (action, start) in enumerate(phases):
        stop = phases[index + 1][1] if index + 1 < len(phases) else end
        durations.append((action, max(0, stop - start)))
    return durations


def format_report(steps: list[Row], scenarios: list[Row], phases: dict[str, list[tuple[str, int]]],
                  load: list[tuple[int, float]], cores: int) -> str:
    """The one-screen summary: each step, each scenario under molecule (with its phases), the load while it ran."""

    def load_text(row: Row) -> str:
        during = load_during(load, row.start, row.end)
        return "%5.1f %5.1f" % during if during else "    -     -"  # no samples at all

    def result(row: Row) -> str:
        return "ok" if row.rc == 0 else "FAILED"

    lines = ["", "Where the time went (%d cores; load average sampled every 10 s by make test, - without samples)" % cores,
             "%-22s %-6s %7s  %5s %5s  %s" % ("step", "result", "seconds", "load", "max", "molecule phases (s)")]
    for step in steps:
        lines.append("%-22s %-6s %7d  %s" % (step.name, result(step), step.seconds, load_text(step)))
        if step.name != "molecule":
            continue
        for scenario in sorted(scenarios, key=lambda row: row.start):
            parts = phase_seconds(phases.get(scenario.name, []), scenario.end)
            text = " ".join("%s %d" % part for part in parts)
            row = (scenario.name, result(scenario), scenario.seconds, load_text(scenario), text)
            lines.append("  %-20s %-6s %7d  %s  %s" % row)
    if steps:
        total = Row("total", 0, min(s.start for s in steps), max(s.end for s in steps))
        lines.append("%-22s %-6s %7d  %s" % ("total", "", total.seconds, load_text(total)))
    return "\n".join(lines)


def record(scenario: str, phases_path: str, source: TextIO, sink: TextIO) -> None:
    """Copy source to sink line by line, appending (scenario, action, epoch) when a molecule action starts."""
    with open(phases_path, "a", encoding="utf-8") as phases:
        for line in source:
            sink.write(line)
            plain = _ANSI_ESCAPE.sub("", line)
            match = _EXECUTING.search(plain) if scenario in plain else None
            if match:
                phases.write("%s\t%s\t%d\n" % (scenario, match.group("action"), int(time.time())))
                phases.flush()


@dataclass
class Profile:
    """What one scenario's log says about its time."""
    playbook_runs: int = 0
    task_seconds: dict[str, float] = field(default_factory=lambda: collections.defaultdict(float))
    task_count: dict[str, int] = field(default_factory=lambda: collections.defaultdict(int))

    def categories(self) -> dict[str, tuple[int, float]]:
        """(tasks, seconds) per category of CATEGORIES; the rest is OTHER."""
        totals: dict[str, list[float]] = collections.defaultdict(lambda: [0, 0.0])
        for name, seconds in self.task_seconds.items():
            category = next((label for label, pattern in CATEGORIES if pattern.search(name)), OTHER)
            totals[category][0] += self.task_count[name]
            totals[category][1] += seconds
        return {label: (int(count), secs) for label, (count, secs) in totals.items()}


# Molecule 26 prints each line of a playbook's output after a box-drawing bar, and wraps a long line onto lines that
# start two spaces further in: "  │ TASK [Read the members and the" then "  │   fingerprint ...] --- 2.81s".
_BAR = re.compile(r"^\s*\u2502 ?")


def _logical_lines(lines: Iterable[str]) -> Iterator[str]:
    """Lines as the playbook printed them: colours and molecule's bar removed, wrapped lines joined."""
    pending: str | None = None
    for raw in lines:
        line = _ANSI_ESCAPE.sub("", raw.rstrip("\n"))
        barred = _BAR.match(line)
        if barred:
            line = line[barred.end():]
            if pending is not None and line.startswith("  ") and line.strip():
                pending += " " + line.strip()
                continue
        if pending is not None:
            yield pending
        pending = line
    if pending is not None:
        yield pending


def profile(lines: Iterable[str]) -> Profile:
    """Sum profile_tasks' per-run summaries (printed after each PLAY RECAP) by task name."""
    result = Profile()
    after_recap = False
    for line in _logical_lines(lines):
        if _RECAP.match(line):
            result.playbook_runs += 1
            after_recap = True
            continue
        if not after_recap:
            continue
        match = _PROFILE_LINE.match(line)
        if match:
            name = match.group("name").strip()
            result.task_seconds[name] += float(match.group("secs"))
            result.task_count[name] += 1
        elif line.startswith(("PLAY [", "TASK [", "INFO ", "WARNING ")):
            after_recap = False
    return result


def format_profile(name: str, result: Profile, top: int = 8) -> str:
    lines = ["%s: %d playbook runs, %.0f s in tasks" % (name, result.playbook_runs, sum(result.task_seconds.values()))]
    for label, (count, seconds) in sorted(result.categories().items(), key=lambda item: -item[1][1]):
        lines.append("  %-12s %5d tasks %8.1f s" % (label, count, seconds))
    lines.append("  slowest tasks (summed over runs):")
    for task, seconds in sorted(result.task_seconds.items(), key=lambda item: -item[1])[:top]:
        lines.append("    %8.1f s  %3dx  %s" % (seconds, result.task_count[task], task))
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "record":
        record(argv[1], argv[2], sys.stdin, sys.stdout)
        return 0
    if argv and argv[0] == "report":
        directory = argv[1] if len(argv) > 1 else ".build/timings"
        steps = read_rows(os.path.join(directory, "steps.tsv"))
        scenarios = read_rows(os.path.join(directory, "molecule.tsv"))
        if not steps and scenarios:  # make molecule alone: its scenarios under one molecule step
            steps = [Row("molecule", max(s.rc for s in scenarios), min(s.start for s in scenarios),
                         max(s.end for s in scenarios))]
        print(format_report(steps, scenarios,
                            read_phases(os.path.join(directory, "phases.tsv")),
                            read_load(os.path.join(directory, "load.tsv")), os.cpu_count() or 1))
        return 0
    if argv and argv[0] == "profile":
        for path in argv[1:]:
            with open(path, encoding="utf-8", errors="replace") as stream:
                print(format_profile(os.path.basename(path).rsplit(".", 1)[0], profile(stream)))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
