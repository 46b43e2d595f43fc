# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Weighted round-robin arithmetic and request statistics for lb_distribution.

nginx's smooth weighted round robin (ngx_http_upstream_round_robin.c): on every pick each peer's
``current`` grows by its weight, the peer with the largest ``current`` wins (the first one in
upstream order on ties) and the winner's ``current`` drops by the total weight. The picks repeat
with a period of the total weight. Pure functions, stdlib only, Python 3.9+.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
from collections import OrderedDict


def swrr_sequence(weights, count):
    """First ``count`` picks of nginx's smooth weighted round robin.

    ``weights`` is an ordered list of ``(name, weight)`` pairs, weights >= 1.
    """
    if not weights:
        raise ValueError("no backends given")
    for name, weight in weights:
        if int(weight) < 1:
            raise ValueError("backend %s has weight %s; nginx needs >= 1" % (name, weight))
    total = sum(int(w) for dummy, w in weights)
    current = [0] * len(weights)
    picks = []
    for dummy in range(count):
        best = None
        for index, (dummy, weight) in enumerate(weights):
            current[index] += int(weight)
            if best is None or current[index] > current[best]:
                best = index
        current[best] -= total
        picks.append(weights[best][0])
    return picks


def swrr_cycle(weights):
    """One full period (total weight picks) of the smooth weighted round robin."""
    return swrr_sequence(weights, sum(int(w) for dummy, w in weights))


def match_rotation(observed, weights):
    """Compare ``observed`` with the SWRR cycle started at every phase.

    Returns a dict: ``ok`` (some phase matches the whole sequence), ``phase`` (the matching phase or
    the one with the longest matching prefix), ``expected`` (the sequence for that phase),
    ``mismatch_index`` (0-based first differing position, None when ok).
    """
    cycle = swrr_cycle(weights)
    period = len(cycle)
    best = None
    for phase in range(period):
        expected = [cycle[(phase + i) % period] for i in range(len(observed))]
        mismatch = None
        for i, (exp, obs) in enumerate(zip(expected, observed)):
            if exp != obs:
                mismatch = i
                break
        if mismatch is None:
            return {"ok": True, "phase": phase, "expected": expected, "mismatch_index": None}
        if best is None or mismatch > best["mismatch_index"]:
            best = {"ok": False, "phase": phase, "expected": expected, "mismatch_index": mismatch}
    return best


def count_in_order(items):
    """Counts per item, in order of first appearance."""
    counts = OrderedDict()
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


def percentile(values, pct):
    """Nearest-rank percentile (``pct`` in 0..100) of ``values``; None for an empty list."""
    if not values:
        return None
    ordered = sorted(values)
    rank = int(math.ceil(pct / 100.0 * len(ordered)))
    return ordered[min(max(rank, 1), len(ordered)) - 1]


def latency_summary(values_ms):
    """min / p50 / p95 / p99 / max / mean of latencies in milliseconds, rounded to 0.1 ms."""
    if not values_ms:
        return {"count": 0, "min": None, "p50": None, "p95": None, "p99": None, "max": None, "mean": None}

    def r(value):
        return round(value, 1)

    return {
        "count": len(values_ms),
        "min": r(min(values_ms)),
        "p50": r(percentile(values_ms, 50)),
        "p95": r(percentile(values_ms, 95)),
        "p99": r(percentile(values_ms, 99)),
        "max": r(max(values_ms)),
        "mean": r(sum(values_ms) / len(values_ms)),
    }


def expected_counts(weights, total):
    """Expected number of responses per backend for ``total`` responses (floats)."""
    weight_sum = float(sum(int(w) for dummy, w in weights))
    return OrderedDict((name, total * int(w) / weight_sum) for name, w in weights)


def format_table(weights, observed_counts, total):
    """Side-by-side table: backend, weight, expected count/share, observed count/share."""
    expected = expected_counts(weights, total) if weights else OrderedDict()
    names = list(expected)
    names += [n for n in observed_counts if n not in expected]
    rows = [("backend", "weight", "expected", "observed")]
    weight_of = dict((n, int(w)) for n, w in weights or [])
    for name in names:
        exp = expected.get(name)
        obs = observed_counts.get(name, 0)
        rows.append((
            name,
            str(weight_of.get(name, "-")),
            "-" if exp is None else "%.1f (%.0f%%)" % (exp, 100.0 * exp / total if total else 0),
            "%d (%.0f%%)" % (obs, 100.0 * obs / total if total else 0),
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows)


def silent_backends(weights, observed_counts, total):
    """Backends that answered none of ``total`` responses although their weight expects at least one.

    Returns ``(name, weight, expected_count)`` tuples in upstream order. A backend that nginx gave up
    on (stopped, refusing, marked down after ``max_fails``) is the usual cause: with
    ``proxy_next_upstream`` the other backends still answer every request, so only its missing share shows.
    """
    if not weights or not total:
        return []
    expected = expected_counts(weights, total)
    return [(name, int(w), expected[name]) for name, w in weights
            if observed_counts.get(name, 0) == 0 and expected[name] >= 1]


def _silent_message(silent, total):
    """One line per silent backend, naming it, or an empty string."""
    return "".join(
        "backend %s (weight %d) answered none of the %d responses (expected %g): "
        "it is down or out of the upstream\n" % (name, weight, total, round(expected, 1))
        for name, weight, expected in silent
    )


def _short(sequence, limit=60):
    text = ",".join(sequence[:limit])
    if len(sequence) > limit:
        text += ",... (%d in all)" % len(sequence)
    return text


def verdict_exact(observed, weights):
    """Exact verdict: ``observed`` must be the SWRR cycle from some phase."""
    counts = count_in_order(observed)
    total = len(observed)
    table = format_table(weights, counts, total)
    if not observed:
        return {"mode": "exact", "ok": False, "phase": None, "mismatch_index": None,
                "expected_sequence": [], "silent": [],
                "message": "no successful responses to compare with the weights"}
    result = match_rotation(observed, weights)
    silent = silent_backends(weights, counts, total)
    if result["ok"]:
        message = ("the %d responses follow nginx's weighted round robin exactly (cycle phase %d)\n%s"
                   % (total, result["phase"], table))
    else:
        i = result["mismatch_index"]
        message = _silent_message(silent, total) + (
            "the responses do not follow nginx's weighted round robin: first mismatch at "
            "response %d (expected %s, observed %s), best cycle phase %d\n%s\n"
            "expected: %s\nobserved: %s"
            % (i + 1, result["expected"][i], observed[i], result["phase"], table,
               _short(result["expected"]), _short(observed)))
    return {
        "mode": "exact",
        "ok": result["ok"],
        "phase": result["phase"],
        "mismatch_index": result["mismatch_index"],
        "expected_sequence": result["expected"],
        "silent": [entry[0] for entry in silent],
        "message": message,
    }


def verdict_tolerance(observed, weights, tolerance):
    """Tolerance verdict: each backend's share within ``tolerance`` x its expected share.

    A backend passes when ``|observed_share - expected_share| <= tolerance * expected_share``;
    responses from backends that are not in ``weights`` fail the verdict.
    """
    counts = count_in_order(observed)
    total = len(observed)
    table = format_table(weights, counts, total)
    if not observed:
        return {"mode": "tolerance", "ok": False, "outside": [], "silent": [],
                "message": "no successful responses to compare with the weights"}
    weight_sum = float(sum(int(w) for dummy, w in weights))
    outside = []
    for name, weight in weights:
        expected_share = int(weight) / weight_sum
        observed_share = counts.get(name, 0) / float(total)
        if abs(observed_share - expected_share) > tolerance * expected_share + 1e-9:
            outside.append(name)
    unknown = [n for n in counts if n not in dict(weights)]
    silent = silent_backends(weights, counts, total)
    ok = not outside and not unknown
    if ok:
        message = "all backends within %g of their expected share over %d responses\n%s" % (tolerance, total, table)
    else:
        reasons = []
        if outside:
            reasons.append("outside a relative tolerance of %g: %s" % (tolerance, ", ".join(outside)))
        if unknown:
            reasons.append("responses from unexpected backends: %s" % ", ".join(unknown))
        message = _silent_message(silent, total) + (
            "the distribution does not match the weights (%s)\n%s" % ("; ".join(reasons), table))
    return {"mode": "tolerance", "ok": ok, "outside": outside + unknown,
            "silent": [entry[0] for entry in silent], "message": message}
