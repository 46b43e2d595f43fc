# -*- coding: utf-8 -*-
"""A bad drill request is refused by playbooks/drill.yml's first play, naming the value and what is allowed,
before anything is touched: the corpus inventory plus a client, every host this machine, check mode. The cases,
each with the rule id its refusal prints, are drill_requests.yml."""

import os
import re
import subprocess
import sys

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CASES = yaml.safe_load(open(os.path.join(HERE, "drill_requests.yml")))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_bad_drill_request_is_refused_before_anything_runs(case, tmp_path):
    inventory = yaml.safe_load(open(os.path.join(HERE, "inventory.yml")))
    if case.get("clients", True):
        inventory["all"]["children"]["clients"] = {"hosts": {"client": {}}}
    inventory["all"]["vars"]["drill_lab"] = True
    (tmp_path / "inventory.yml").write_text(yaml.safe_dump(inventory))
    (tmp_path / "extra.yml").write_text(yaml.safe_dump(case["extra_vars"]))
    cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", str(tmp_path / "inventory.yml"),
           os.path.join(ROOT, "playbooks", "drill.yml"), "--check", "-e", "@" + str(tmp_path / "extra.yml"),
           "-e", "ansible_python_interpreter=" + sys.executable]
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", ANSIBLE_STDOUT_CALLBACK="default")
    run = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    output = re.sub(r"\s+", " ", (run.stdout + run.stderr).replace("\\n", " "))
    assert run.returncode != 0, "drill.yml accepted a bad request:\n" + run.stdout[-3000:]
    for expected in case["expect"]:
        assert expected in output, "expected %r in:\n%s" % (expected, run.stdout[-4000:])
    assert "[%s]" % case["rule"] in output, "expected rule id [%s] in:\n%s" % (case["rule"], run.stdout[-4000:])
    assert "PLAY [Check that the cluster is healthy" not in run.stdout, "a play after the request check started"
