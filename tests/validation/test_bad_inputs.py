# -*- coding: utf-8 -*-
"""Every bad input in bad_inputs*.yml is refused by site.yml with its exact error, before any host changes.

Every case names the ``rule`` id its refusal prints (``[rule-id]``), or a list of them;
tests/unit/test_rule_ids.py checks that every rule id (plugins/plugin_utils, plugins/module_utils, the refusing
asserts' messages) has a case and every case's rule exists.

Each case runs the real playbooks/site.yml (check mode, local hosts) with the case's variables (and its ``limit``,
for the rules of runs that leave hosts out) and asserts:
the run failed; the output contains the expected error text (and none of the case's ``absent`` texts: a
range error names only the wrong variable); no deploy play started; every host reports
changed=0; and a secret in the case never appears in the output.

Every host is this machine; each case reads the hosts' facts from its own copy of a cache gathered once per
test worker (``playbook_env``, conftest.py).
"""

import glob
import json
import os
import re
import socket
import subprocess
import sys

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# Every corpus file (bad_inputs.yml, bad_inputs_nginx.yml, ...), in name order; ids are unique across files.
CASES = [case for path in sorted(glob.glob(os.path.join(HERE, "bad_inputs*.yml")))
         for case in yaml.safe_load(open(path))]


def _host_address():
    """An address this machine owns, for the "VIP is a host's own address" case."""
    out = subprocess.run(["hostname", "-I"], capture_output=True, text=True, check=False).stdout.split()
    v4 = [a for a in out if re.match(r"^\d+\.\d+\.\d+\.\d+$", a)]
    return v4[0] if v4 else socket.gethostbyname(socket.gethostname())


def _substitute(value, address, tls_dir):
    return yaml.safe_load(yaml.safe_dump(value).replace("@HOST_ADDRESS@", address).replace("@TLS_DIR@", tls_dir))


def test_corpus_is_large_and_unique():
    ids = [case["id"] for case in CASES]
    assert len(ids) >= 25
    assert len(ids) == len(set(ids))
    assert [case["id"] for case in CASES if not case.get("rule")] == [], "cases without a rule id"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_bad_input_is_refused_before_any_change(case, tmp_path, playbook_env, tls_dir):
    address = _host_address()
    case = _substitute(case, address, tls_dir)
    inventory = yaml.safe_load(open(os.path.join(HERE, "inventory.yml")))
    for host, hvars in (case.get("host_vars") or {}).items():
        for group in inventory["all"]["children"].values():
            if host in (group.get("hosts") or {}):
                group["hosts"][host] = dict(group["hosts"][host] or {}, **hvars)
                if hvars.get("keepalived_auth_pass", "") is None:
                    group["hosts"][host].pop("keepalived_auth_pass")
                    group.get("vars", {}).pop("keepalived_auth_pass", None)
    (tmp_path / "inventory.yml").write_text(yaml.safe_dump(inventory))
    cmd = [
        os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
        "-i", str(tmp_path / "inventory.yml"),
        os.path.join(ROOT, "playbooks", "site.yml"),
        "--check",
        "-e", "ansible_python_interpreter=" + sys.executable,
    ]
    if case.get("extra_vars"):
        (tmp_path / "extra.yml").write_text(yaml.safe_dump(case["extra_vars"]))
        cmd += ["-e", "@" + str(tmp_path / "extra.yml")]
    if case.get("limit"):
        cmd += ["--limit", case["limit"]]
    run = subprocess.run(cmd, cwd=ROOT, env=playbook_env, capture_output=True, text=True, timeout=300, check=False)
    output = re.sub(r"\s+", " ", (run.stdout + run.stderr).replace("\\n", " "))
    assert run.returncode != 0, "site.yml accepted a bad input:\n" + run.stdout[-3000:]
    assert "TASK [Gathering Facts]" not in run.stdout, "the corpus hosts' facts were gathered again, not read from the cache"
    for expected in case["expect"]:
        assert re.sub(r"\s+", " ", expected) in output, "expected %r in:\n%s" % (expected, run.stdout[-4000:])
    assert case.get("rule"), "the case names no rule id (rule:)"
    # A case may prove several rules at once (a list): every problem of a run is reported together.
    for rule in case["rule"] if isinstance(case["rule"], list) else [case["rule"]]:
        assert "[%s]" % rule in output, "expected rule id [%s] in:\n%s" % (rule, run.stdout[-4000:])
    for unwanted in case.get("absent") or []:
        assert unwanted not in output, "%r must not be named in:\n%s" % (unwanted, run.stdout[-4000:])
    assert "PLAY [Deploy" not in run.stdout, "a deploy play started after a bad input"
    recap = re.findall(r"^(\S+)\s+: ok=\d+\s+changed=(\d+)", run.stdout, re.M)
    assert recap, "no PLAY RECAP in:\n" + run.stdout[-2000:]
    assert all(changed == "0" for dummy, changed in recap), recap
    if case.get("secret"):
        for form in (case["secret"], json.dumps(case["secret"])[1:-1]):
            assert form not in run.stdout + run.stderr, "the secret appeared in the output"
