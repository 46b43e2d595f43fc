# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""benchmarks/report.py: one page from several runs (report.py --results A --results B)."""

from __future__ import absolute_import, division, print_function

import os
import sys

__metaclass__ = type

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))

import report  # noqa: E402

DRILLS = {"meta": {"date": "2026-12-01 21:59 UTC", "loadavg": [0.62, 2.33, 3.12]},
          "steps": {"total_seconds": 862.7},
          "deploy": {"first": {"seconds": 140.3}},
          "profiles": {"standard": {"drills": {"graceful": {"failed": 1}}}, "fast": {"drills": {}}}}
THROUGHPUT = {"meta": {"date": "2026-12-01 22:40 UTC", "loadavg": [0.2, 0.5, 1.0]},
              "steps": {"total_seconds": 300.0},
              "throughput": {"runs": []},
              "profiles": {"standard": {}}}


def test_one_run_is_the_page_as_before():
    merged = report.merge([("/r/one", DRILLS)])
    assert "runs" not in merged
    assert merged["steps"] == DRILLS["steps"]
    assert merged["profiles"]["standard"]["drills_dir"] == "/r/one/drills"


def test_later_runs_win_per_section_and_every_run_is_named():
    merged = report.merge([("/r/drills", DRILLS), ("/r/tp", THROUGHPUT)])
    # The throughput run measured no drill: the drills (and their probe logs) stay those of the first run.
    assert merged["profiles"] == {"standard": dict(DRILLS["profiles"]["standard"], drills_dir="/r/drills/drills")}
    assert merged["throughput"] == THROUGHPUT["throughput"]
    assert merged["deploy"] == DRILLS["deploy"]
    assert [r["parts"] for r in merged["runs"]] == [["deploy", "drills (standard)"], ["throughput"]]
    lines = report._runs_lines(merged)
    assert lines[0].startswith("- Assembled from 2 runs")
    assert lines[-1] == "  - 2026-12-01 22:40 UTC: throughput (300 s; load average at its start 0.2, 0.5, 1.0)"
