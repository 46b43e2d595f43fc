# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""benchmarks/throughput.py: wrk outputs captured from the bench lab (the client's /proc/loadavg line first)."""

from __future__ import absolute_import, division, print_function

import os
import sys

__metaclass__ = type

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "tests", "unit", "fixtures", "wrk")
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))

import throughput  # noqa: E402


def _fixture(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


def test_parse_wrk_nginx_1k_c32():
    parsed = throughput.parse_wrk(_fixture("wrk-4.1.0-nginx-1k-c32.txt"))
    assert parsed == {"requests_per_s": 202.21, "latency_avg_ms": 185.28, "p50_ms": 127.16, "p99_ms": 916.28,
                      "socket_errors": 0, "non_2xx": 0, "loadavg_1m": 21.37}


def test_parse_wrk_seconds_and_socket_errors():
    parsed = throughput.parse_wrk(_fixture("wrk-4.1.0-haproxy-1k-c256.txt"))
    assert parsed["p99_ms"] == 1750.0
    assert parsed["p50_ms"] == 514.12
    assert parsed["socket_errors"] == 13
    assert parsed["requests_per_s"] == 396.25


def test_parse_wrk_failed_run():
    assert throughput.parse_wrk("unable to connect to 198.18.74.182:8443 Connection refused")["requests_per_s"] is None


def _run(step, workload, target, rnd, name):
    return {"step": step, "workload": workload, "target": target, "round": rnd, "rc": 0, "output": _fixture(name)}


def test_medians_ratio_and_goal():
    data = {"runs": [_run("defaults", "1k-c32", "nginx_lb", 1, "wrk-4.1.0-nginx-1k-c32.txt"),
                     _run("defaults", "1k-c32", "haproxy", 1, "wrk-4.1.0-haproxy-1k-c256.txt"),
                     _run("defaults", "1k-c32", "haproxy", 2, "wrk-4.1.0-nginx-1k-c32.txt")]}
    summary = throughput.summarize(data)
    ref = summary[("defaults", "1k-c32", "haproxy")]
    assert ref["rounds"] == 2
    assert ref["requests_per_s"] == round((396.25 + 202.21) / 2, 3)
    assert ref["errors"] == 13
    assert ref["loadavg"] == (21.37, 22.17)
    cmp_ = throughput.compare(summary, "defaults", "1k-c32")
    assert cmp_["ratio"] == round(202.21 / ((396.25 + 202.21) / 2), 2)
    assert not cmp_["goal_met"] and not cmp_["rps_ok"] and cmp_["p99_ok"]
    assert throughput.compare(summary, "defaults", "100k-c32") is None


def test_section_names_the_missed_workload():
    data = {"wrk": "wrk -t2", "load_balancer": "lb2", "address": "198.18.74.182",
            "workloads": [{"name": "1k-c32", "page": "bench-1k.html", "connections": 32, "scheme": "http"}],
            "steps": [{"name": "defaults", "change": "the role's defaults", "workloads": ["1k-c32"]}],
            "runs": [_run("defaults", "1k-c32", "nginx_lb", 1, "wrk-4.1.0-nginx-1k-c32.txt"),
                     _run("defaults", "1k-c32", "haproxy", 1, "wrk-4.1.0-haproxy-1k-c256.txt")]}
    text = "\n".join(throughput.section(data))
    assert "| HTTP 1 KB, 32 connections | 202 | 396 | **0.51** |" in text
    assert "**not met** (req/s)" in text
    assert "Where the goal is not met: 1k-c32." in text
    assert throughput.section({}) == ["Not measured in this run."]
