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
RERUN = {"meta": {"date": "2026-12-01 22:50 UTC", "loadavg": [0.1, 0.2, 0.3]},
         "profiles": {"standard": {"drills": {"crash": {"failed": 0}, "graceful": {"failed": 0}}}}}


def test_one_run_is_the_page_as_before():
    merged = report.merge([("/r/one", DRILLS)])
    assert "runs" not in merged
    assert merged["steps"] == DRILLS["steps"]
    assert merged["profiles"]["standard"]["drills"]["graceful"]["probe_dir"] == "/r/one/drills/standard"


def test_later_runs_win_per_section_and_every_run_is_named():
    merged = report.merge([("/r/drills", DRILLS), ("/r/tp", THROUGHPUT), ("/r/again", RERUN)])
    # The throughput run measured no drill; the rerun replaces graceful and adds crash, each with its probe log.
    assert merged["profiles"] == {"standard": {"drills": {
        "graceful": {"failed": 0, "probe_dir": "/r/again/drills/standard"},
        "crash": {"failed": 0, "probe_dir": "/r/again/drills/standard"}}}}
    assert merged["throughput"] == THROUGHPUT["throughput"]
    assert merged["deploy"] == DRILLS["deploy"]
    assert [r["parts"] for r in merged["runs"]] == [
        ["deploy", "drills graceful (standard)"], ["throughput"], ["drills crash, graceful (standard)"]]
    lines = report._runs_lines(merged)
    assert lines[0].startswith("- Assembled from 3 runs")
    assert lines[2] == "  - 2026-12-01 21:59 UTC: deploy, drills graceful (standard) (862.7 s; load average at its start 0.62, 2.33, 3.12)"
    assert lines[3] == "  - 2026-12-01 22:40 UTC: throughput (300 s; load average at its start 0.2, 0.5, 1.0)"


def test_a_later_throughput_run_replaces_only_the_steps_it_measured():
    ladder = {"steps": [{"name": "before"}, {"name": "log-buffered"}, {"name": "defaults"}],
              "runs": [{"step": "before", "rc": 0}, {"step": "log-buffered", "rc": 0}, {"step": "defaults", "rc": 1}],
              "nginx_conf": "old"}
    again = {"steps": [{"name": "reuseport"}, {"name": "defaults"}], "runs": [{"step": "defaults", "rc": 0}],
             "nginx_conf": "new"}
    merged = report.merge_throughput(ladder, again)
    # A step new to the ladder goes where the later run has it: before the defaults, which stay last.
    assert [s["name"] for s in merged["steps"]] == ["before", "log-buffered", "reuseport", "defaults"]
    assert merged["runs"] == [{"step": "before", "rc": 0}, {"step": "log-buffered", "rc": 0}, {"step": "defaults", "rc": 0}]
    assert merged["nginx_conf"] == "new"
    assert report.merge_throughput(None, again) is again


def test_a_later_operations_run_is_on_the_page():
    standard = {"meta": {"date": "2026-12-02 03:08 UTC"},
                "operations": {"standard": {"rc": 0, "operations": [{"name": "no_change"}]}}}
    dual = {"meta": {"date": "2026-12-02 16:08 UTC"},
            "operations": {"dual_master_fast": {"rc": 0, "operations": [{"name": "rolling_restart"}]}}}
    merged = report.merge([("/r/drills", DRILLS), ("/r/ops", standard), ("/r/dm", dual)])
    assert merged["operations"] == dict(standard["operations"], **dual["operations"])
    assert [run["parts"] for run in merged["runs"][1:]] == [["operations (standard)"], ["operations (dual_master_fast)"]]
