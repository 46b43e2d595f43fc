# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""nginx smooth weighted round robin, verdicts and statistics."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._distribution import (
    count_in_order,
    latency_summary,
    match_rotation,
    percentile,
    swrr_cycle,
    swrr_sequence,
    verdict_exact,
    verdict_tolerance,
)

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "distribution")
WEIGHTS = [("web1", 1), ("web2", 2)]


def test_swrr_web1_1_web2_2():
    assert swrr_cycle(WEIGHTS) == ["web2", "web1", "web2"]
    assert swrr_sequence(WEIGHTS, 7) == ["web2", "web1", "web2", "web2", "web1", "web2", "web2"]


def test_swrr_nginx_documented_example():
    # nginx's own comment (ngx_http_upstream_round_robin.c): weights a=5, b=1, c=1 give a a b a c a a.
    assert swrr_cycle([("a", 5), ("b", 1), ("c", 1)]) == ["a", "a", "b", "a", "c", "a", "a"]


def test_swrr_equal_weights_and_ties_go_first():
    assert swrr_cycle([("web1", 1), ("web2", 1), ("web3", 1)]) == ["web1", "web2", "web3"]


def test_swrr_rejects_bad_weights():
    with pytest.raises(ValueError):
        swrr_sequence([], 3)
    with pytest.raises(ValueError):
        swrr_sequence([("web1", 0)], 3)


@pytest.mark.parametrize("phase", [0, 1, 2])
def test_exact_accepts_any_rotation(phase):
    cycle = swrr_cycle(WEIGHTS)
    observed = [cycle[(phase + i) % 3] for i in range(30)]
    verdict = verdict_exact(observed, WEIGHTS)
    assert verdict["ok"], verdict["message"]
    assert verdict["mismatch_index"] is None
    assert "web1     1       10.0 (33%)  10 (33%)" in verdict["message"]


def test_exact_real_capture_from_nginx():
    # 31 responses captured from nginx 1.22 (upstream with a zone, weights modc=1, modd=2).
    with open(os.path.join(FIXTURES, "nginx-1.22-swrr-modc1-modd2.json")) as handle:
        observed = json.load(handle)["sequence"]
    assert verdict_exact(observed, [("modc", 1), ("modd", 2)])["ok"]
    assert not verdict_exact(observed, [("modc", 1), ("modd", 1)])["ok"]


def test_exact_mismatch_message():
    observed = ["web2", "web1", "web2", "web1", "web2"]
    verdict = verdict_exact(observed, WEIGHTS)
    assert not verdict["ok"]
    assert verdict["mismatch_index"] == 3
    assert verdict["expected_sequence"] == ["web2", "web1", "web2", "web2", "web1"]
    assert "first mismatch at response 4 (expected web2, observed web1)" in verdict["message"]
    assert "expected: web2,web1,web2,web2,web1" in verdict["message"]
    assert "observed: web2,web1,web2,web1,web2" in verdict["message"]


def test_exact_unknown_backend_fails():
    verdict = verdict_exact(["web2", "web3", "web2"], WEIGHTS)
    assert not verdict["ok"]
    assert "web3" in verdict["message"]


def test_exact_zero_responses():
    verdict = verdict_exact([], WEIGHTS)
    assert not verdict["ok"]
    assert "no successful responses" in verdict["message"]


def test_tolerance_mode():
    observed = ["web2"] * 21 + ["web1"] * 9  # web1 share 0.30, expected 0.333
    assert verdict_tolerance(observed, WEIGHTS, 0.15)["ok"]
    failing = verdict_tolerance(observed, WEIGHTS, 0.05)
    assert not failing["ok"]
    assert failing["outside"] == ["web1"]  # web2: |0.700 - 0.667| is just within 0.05 x 0.667
    assert "outside a relative tolerance of 0.05" in failing["message"]


def test_tolerance_missing_and_unknown_backend():
    assert not verdict_tolerance(["web2"] * 30, WEIGHTS, 0.5)["ok"]
    verdict = verdict_tolerance(["web1", "web2", "web2", "web9"], WEIGHTS, 1.0)
    assert not verdict["ok"]
    assert "unexpected backends: web9" in verdict["message"]
    assert not verdict_tolerance([], WEIGHTS, 0.1)["ok"]


def test_match_rotation_reports_best_phase():
    result = match_rotation(["web1", "web2", "web2", "web2"], WEIGHTS)
    assert not result["ok"]
    assert result["phase"] == 1
    assert result["mismatch_index"] == 3


def test_statistics():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert percentile([], 50) is None
    summary = latency_summary([3.0, 1.0, 2.0])
    assert summary == {"count": 3, "min": 1.0, "p50": 2.0, "p95": 3.0, "p99": 3.0, "max": 3.0, "mean": 2.0}
    assert latency_summary([])["p50"] is None
    assert list(count_in_order(["b", "a", "b"]).items()) == [("b", 2), ("a", 1)]


def test_silent_backend_is_named():
    # web2 stopped: nginx passes its requests on to web1 (proxy_next_upstream), so every request
    # succeeds and only the missing share shows.
    verdict = verdict_exact(["web1"] * 30, WEIGHTS)
    assert not verdict["ok"]
    assert verdict["silent"] == ["web2"]
    assert verdict["message"].startswith(
        "backend web2 (weight 2) answered none of the 30 responses (expected 20): it is down or out of the upstream\n")
    tolerance = verdict_tolerance(["web1"] * 30, WEIGHTS, 0.2)
    assert not tolerance["ok"]
    assert tolerance["silent"] == ["web2"]
    assert "backend web2 (weight 2) answered none of the 30 responses" in tolerance["message"]
    # A backend whose share is under one response is not silent; a healthy run names nobody.
    assert verdict_exact(["web2"], WEIGHTS)["silent"] == []
    assert verdict_exact(["web2", "web1", "web2"], WEIGHTS)["silent"] == []
