# -*- coding: utf-8 -*-
"""tests/suite_timing.py: molecule's phases found in a real scenario log, profile_tasks' summaries of a real
site.yml run summed, and the summary table built from the timing files."""

import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import suite_timing  # noqa: E402  (tests/suite_timing.py)

FIXTURES = os.path.join(HERE, "fixtures", "timing")


def _fixture(name):
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as stream:
        return stream.read()


def test_record_copies_the_log_and_notes_each_molecule_action(tmp_path):
    log = _fixture("molecule_default.log")
    sink = io.StringIO()
    phases = tmp_path / "phases.tsv"
    suite_timing.record("default", str(phases), io.StringIO(log), sink)
    assert sink.getvalue() == log
    recorded = suite_timing.read_phases(str(phases))["default"]
    # molecule/default's test sequence: destroy, create, verify, destroy ("Executed: Successful" is no start).
    assert [action for action, dummy in recorded] == ["destroy", "create", "verify", "destroy"]


def test_record_finds_the_actions_in_coloured_output(tmp_path):
    # molecule's line with PY_COLORS=1 (the Makefile's default outside CI), captured from make molecule.
    coloured = _fixture("molecule_default_colour.log")
    phases = tmp_path / "phases.tsv"
    suite_timing.record("default", str(phases), io.StringIO(coloured), io.StringIO())
    assert [action for action, dummy in suite_timing.read_phases(str(phases))["default"]] == ["destroy", "create"]


def test_record_ignores_other_scenarios_lines(tmp_path):
    phases = tmp_path / "phases.tsv"
    suite_timing.record("operations", str(phases), io.StringIO("INFO     [default > create] Executing\n"), io.StringIO())
    assert suite_timing.read_phases(str(phases)) == {}


def test_phase_seconds_run_to_the_next_action_and_the_last_to_the_end():
    phases = [("destroy", 100), ("create", 103), ("converge", 160), ("destroy", 400)]
    assert suite_timing.phase_seconds(phases, 409) == [("destroy", 3), ("create", 57), ("converge", 240), ("destroy", 9)]


def test_profile_sums_the_tasks_of_a_real_site_yml_run():
    result = suite_timing.profile(io.StringIO(_fixture("site_yml_profile_tasks.txt")))
    assert result.playbook_runs == 1
    assert result.task_seconds["Gathering Facts"] == 1.79
    long_name = ("halb.nginx_keepalived.nginx_lb : Check the upstreams, their servers, the virtual hosts and their "
                 "TLS files (all problems at once)")
    assert result.task_seconds[long_name] == 0.57
    categories = result.categories()
    assert categories["facts"][0] == 2  # Gathering Facts and nginx_lb's "Gather the addresses of backends ..."
    assert round(categories["facts"][1], 2) == 2.09
    assert sum(count for count, dummy in categories.values()) == len(result.task_seconds)
    # The roles' own validation tasks are deploy work; the playbook's tasks are the run's checks.
    assert categories["deploy"][0] == 5
    assert categories["checks"][0] == 5


def test_profile_reads_molecule_26_output_with_its_bar_colours_and_wrapped_lines():
    # A real prepare run of molecule/master_backup as molecule 26 printed it: each line after a coloured bar, long
    # lines wrapped, the seconds of most tasks alone on the next line.
    result = suite_timing.profile(io.StringIO(_fixture("molecule_prepare_boxed.log")))
    assert result.playbook_runs == 1
    assert result.task_seconds["Update the package lists"] == 5.87
    assert result.task_seconds["Download the other releases from the same pool directory and verify upstream's "
                               "checksums"] == 1.04
    assert len(result.task_seconds) == 12
    assert round(sum(result.task_seconds.values()), 2) == 26.62


def test_profile_adds_the_same_task_over_several_runs():
    one_run = _fixture("site_yml_profile_tasks.txt")
    result = suite_timing.profile(io.StringIO(one_run + "\nPLAY [Next run] ***\n" + one_run))
    assert result.playbook_runs == 2
    assert round(result.task_seconds["Gathering Facts"], 2) == 3.58
    assert result.task_count["Gathering Facts"] == 2


def test_report_lists_steps_scenarios_phases_and_load(tmp_path):
    (tmp_path / "steps.tsv").write_text("unit\t0\t1000\t1010\nmolecule\t0\t1010\t2010\n")
    (tmp_path / "molecule.tsv").write_text("operations\t0\t1010\t2000\ndefault\t1\t1012\t1020\n")
    (tmp_path / "phases.tsv").write_text("default\tcreate\t1012\ndefault\tverify\t1015\n")
    (tmp_path / "load.tsv").write_text("1005 1.00 0.5 0.2\n1500 3.00 2.0 1.0\n1900 5.00 4.0 2.0\n")
    text = suite_timing.format_report(
        suite_timing.read_rows(str(tmp_path / "steps.tsv")), suite_timing.read_rows(str(tmp_path / "molecule.tsv")),
        suite_timing.read_phases(str(tmp_path / "phases.tsv")), suite_timing.read_load(str(tmp_path / "load.tsv")), 2)
    lines = text.splitlines()
    assert any(line.split()[:3] == ["unit", "ok", "10"] and "1.0" in line for line in lines)
    molecule = next(index for index, line in enumerate(lines) if line.startswith("molecule "))
    # Scenarios under their step, by start time; a failed one says so; phases in their order.
    assert lines[molecule + 1].split()[:3] == ["operations", "ok", "990"]
    assert lines[molecule + 2].split()[:3] == ["default", "FAILED", "8"]
    assert lines[molecule + 2].endswith("create 3 verify 5")
    assert "4.0   5.0" in lines[molecule]  # the mean and the maximum of the samples inside the step
    assert lines[-1].split()[:2] == ["total", "1010"]


def test_load_during_a_short_step_is_the_nearest_sample():
    assert suite_timing.load_during([(10, 1.0), (40, 2.0)], 20, 24) == (1.0, 1.0)
    assert suite_timing.load_during([], 20, 30) is None
