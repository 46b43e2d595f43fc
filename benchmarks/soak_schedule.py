# -*- coding: utf-8 -*-
# Copyright (c) 2026, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The seeded fault schedule of the soak (issue 32): which fault each step injects, where, and for how long.

The schedule is a pure function of the seed and the step number, so that a long run can stop and resume from its
seed and step (``steps(seed, start, count)`` is the slice ``[start:start + count]`` of the endless schedule), and so
that a failure found at step 4711 of seed 7 can be replayed alone. Steps come in blocks of twice the number of
kinds: every block holds each kind once, and as many more drawn at random, shuffled; so every kind gets at least
one step in ``2 * len(kinds)`` and a long run cannot be all easy faults.

A step is a dict: ``step``, ``kind``, ``target`` (a load balancer, or a backend for ``backend_stop``), ``hold_s``
(how long the fault stays before the heal), ``level`` (CPU hogs for ``cpu_starve``, reloads for ``reload_storm``),
and for the compound kinds ``inner`` (the single fault injected while the other one or the operation runs) and
``offset_s`` (when, after the start of the other). Stdlib only: the runner (make soak) reads it as JSON lines:

    python3 benchmarks/soak_schedule.py --seed 7 --start 0 --count 20 --members lb1,lb2 --backends web1,web2
"""

from __future__ import absolute_import, annotations, division, print_function

import argparse
import json
import random
import sys
from typing import Any

__metaclass__ = type

# Single faults: (hold range in seconds, level range or None). A hold is how long the fault lasts before its heal.
SINGLE: dict[str, tuple[tuple[float, float], tuple[int, int] | None]] = {
    "keepalived_stop": ((3.0, 10.0), None),     # systemctl stop keepalived (a graceful priority-0 advert)
    "keepalived_kill": ((3.0, 10.0), None),     # SIGKILL: no advert, the peer waits the master-down interval
    "nginx_kill": ((3.0, 10.0), None),          # SIGKILL nginx, kept from starting for the hold
    "nginx_sigstop": ((3.0, 10.0), None),       # SIGSTOP nginx: a hung process the check must notice
    "vrrp_drop": ((3.0, 10.0), None),           # drop the adverts the target receives (split brain when a backup)
    "link_down": ((3.0, 10.0), None),           # the VRRP interface down
    "node_crash": ((5.0, 15.0), None),          # the whole node stopped at once (docker kill), then started
    "node_reboot": ((5.0, 15.0), None),         # a clean reboot: services stopped in order, then started
    "reload_storm": ((3.0, 6.0), (5, 20)),      # level: nginx and keepalived reloads within the hold
    "backend_stop": ((3.0, 10.0), None),        # a web backend's nginx stopped (target: a backend)
    "partition": ((5.0, 12.0), None),           # the load balancers cannot reach each other (longer than master-down)
    "cpu_starve": ((20.0, 60.0), (1, 4)),       # level: CPU hogs pinned to the target's cgroup
}
# Compound faults: a single fault (``inner``) while another fault or a run of the collection is in progress.
COMPOUND = ("overlap", "during_roll", "during_drain", "during_restore")
KINDS = tuple(SINGLE) + COMPOUND


class ScheduleError(ValueError):
    """A schedule that cannot be made (unknown kinds, no target)."""


def _single(rng: random.Random, kind: str, members: list[str], backends: list[str]) -> dict[str, Any]:
    hold, level = SINGLE[kind]
    targets = backends if kind == "backend_stop" else members
    if not targets:
        raise ScheduleError("fault %s needs a %s; none given" % (kind, "backend" if kind == "backend_stop" else "member"))
    fault: dict[str, Any] = {"kind": kind, "target": rng.choice(targets), "hold_s": round(rng.uniform(*hold), 1)}
    if level:
        fault["level"] = rng.randint(*level)
    return fault


def _step(rng: random.Random, kind: str, members: list[str], backends: list[str]) -> dict[str, Any]:
    singles = [name for name in SINGLE if name != "backend_stop" or backends]
    if kind in SINGLE:
        return _single(rng, kind, members, backends)
    if kind == "overlap":
        first = _single(rng, rng.choice(singles), members, backends)
        inner = _single(rng, rng.choice(singles), members, backends)
        first["kind"], first["inner"] = "overlap:" + first["kind"], inner
        first["offset_s"] = round(rng.uniform(0.5, max(first["hold_s"] - 0.5, 0.5)), 1)
        return first
    # A fault met by a run of the collection: the operation is the step's kind, its fault injected offset_s after
    # the run starts (during its drain, its deploy or its restore, as the offset falls).
    inner = _single(rng, rng.choice([name for name in singles if name != "cpu_starve"]), members, backends)
    return {"kind": kind, "target": rng.choice(members), "hold_s": inner["hold_s"], "inner": inner,
            "offset_s": round(rng.uniform(1.0, 20.0), 1)}


def _block(seed: int, number: int, kinds: list[str]) -> list[str]:
    rng = random.Random("%d:block:%d" % (seed, number))
    block = list(kinds) + [rng.choice(kinds) for dummy in kinds]
    rng.shuffle(block)
    return block


def steps(seed: int, start: int, count: int, kinds: list[str] | None = None, members: list[str] | None = None,
          backends: list[str] | None = None) -> list[dict[str, Any]]:
    """Steps ``start`` .. ``start + count - 1`` of the schedule of ``seed`` over ``kinds`` (all by default)."""
    kinds = list(kinds or KINDS)
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown or not kinds:
        raise ScheduleError("unknown fault kinds %s; allowed: %s" % (", ".join(unknown) or "(none given)",
                                                                     ", ".join(KINDS)))
    members, backends = list(members or []), list(backends or [])
    if not members:
        raise ScheduleError("no load balancer to put faults on (members)")
    if start < 0 or count < 0:
        raise ScheduleError("start and count must be >= 0 (got %d, %d)" % (start, count))
    size = 2 * len(kinds)
    out = []
    for number in range(start, start + count):
        kind = _block(seed, number // size, kinds)[number % size]
        step = _step(random.Random("%d:step:%d" % (seed, number)), kind, members, backends)
        out.append(dict(step, step=number))
    return out


def _names(text: str) -> list[str]:
    return [item for item in text.split(",") if item]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--kinds", default="", help="comma-separated fault kinds (default: all)")
    parser.add_argument("--members", required=True, help="comma-separated load balancers")
    parser.add_argument("--backends", default="", help="comma-separated web backends")
    args = parser.parse_args(argv)
    try:
        for step in steps(args.seed, args.start, args.count, _names(args.kinds), _names(args.members),
                          _names(args.backends)):
            print(json.dumps(step, sort_keys=True))
    except ScheduleError as error:
        print("soak_schedule: %s" % error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
