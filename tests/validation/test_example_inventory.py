# -*- coding: utf-8 -*-
"""The README's first inventory (inventories/example) passes site.yml's syntax check and its validation plays.

The example names the recipe's real hosts, which no test may ever contact. The validation plays of
playbooks/site.yml (the leading plays named "Validate ...", read from site.yml itself) run on it in check mode
with every host's connection forced to this machine by extra variables (the highest precedence, delegated tasks
included), and the hosts' facts come from the corpus fact cache: its hosts lb1, lb2, web1 and web2 are this
machine under the example's names. The inventory is a copy of the example with the vault file the README tells
a user to create (group_vars/load_balancers/vault.yml, unencrypted here). No play after the validation (plan,
deploy) runs.
"""

import os
import re
import shutil
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXAMPLE = os.path.join(ROOT, "inventories", "example")
FLEET = os.path.join(ROOT, "inventories", "example_fleet")
SITE = os.path.join(ROOT, "playbooks", "site.yml")
IMPORT = "ansible.builtin.import_playbook"
# Every host of the example, as this machine: local connection, and an address that is ours should anything ask.
LOCAL = ["-e", "ansible_connection=local", "-e", "ansible_host=127.0.0.1"]


def _example_host_addresses(example=EXAMPLE):
    """The hosts' own addresses in the example (their ansible_host): no output may name one of them. (Its VIP is in
    the resolved cluster model, which the verbose output shows.)"""
    addresses = []
    for folder, _dirs, files in os.walk(example):
        for name in files:
            with open(os.path.join(folder, name)) as handle:
                addresses += re.findall(r"ansible_host:\s*(\S+)", handle.read())
    assert addresses, "no ansible_host found in %s" % example
    return sorted(addresses)


def _ansible_playbook():
    return os.path.join(os.path.dirname(sys.executable), "ansible-playbook")


def _validation_plays():
    """The leading plays of site.yml that only choose the clusters and validate (imports made absolute), up to the first
    that plans or deploys."""
    with open(SITE) as handle:
        plays = yaml.safe_load(handle)
    out = []
    for play in plays:
        if not play.get("name", "").startswith(("Choose", "Validate")):
            break
        play = dict(play)
        if IMPORT in play:
            play[IMPORT] = os.path.join(os.path.dirname(SITE), play[IMPORT])
        out.append(play)
    return out


def test_site_syntax_check_on_the_example():
    run = subprocess.run([_ansible_playbook(), "-i", EXAMPLE, SITE, "--syntax-check"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


def test_validation_plays_pass_on_the_example(tmp_path, playbook_env):
    plays = _validation_plays()
    assert [play.get(IMPORT, "").rsplit("/", 1)[-1] for play in plays[:2]] == ["select_clusters.yml", "validate.yml"], \
        "site.yml no longer starts by choosing the clusters and validating"
    playbook = tmp_path / "validate.yml"
    playbook.write_text(yaml.safe_dump(plays, sort_keys=False))
    inventory = tmp_path / "example"
    shutil.copytree(EXAMPLE, inventory)
    (inventory / "group_vars" / "load_balancers" / "vault.yml").write_text("---\nvault_keepalived_auth_pass: Example8\n")
    # The cached facts are this machine's for every host: the web servers get their own backend addresses (from the
    # corpus range, never the example's), as their own facts would give them on separate machines.
    (inventory / "host_vars").mkdir(exist_ok=True)
    for web, address in (("web1", "198.18.99.191"), ("web2", "198.18.99.192")):
        (inventory / "host_vars" / (web + ".yml")).write_text("---\nnginx_lb_backend_address: %s\n" % address)
    cmd = [_ansible_playbook(), "-i", str(inventory), str(playbook), "--check", "-vvv",
           "-e", "ansible_python_interpreter=" + sys.executable] + LOCAL
    run = subprocess.run(cmd, cwd=ROOT, env=playbook_env, capture_output=True, text=True, timeout=300, check=False)
    output = run.stdout + run.stderr
    contacted = [address for address in _example_host_addresses() if address in output]
    assert "ESTABLISH SSH CONNECTION" not in output and not contacted, "a host of the example was contacted: %s" % contacted
    assert run.returncode == 0, "the validation refused the example inventory:\n" + run.stdout[-5000:]
    assert "TASK [Gathering Facts]" not in run.stdout, "the hosts' facts were gathered, not read from the cache"
    assert "Check every keepalived input on this host and across the cluster" in run.stdout
    recap = dict(re.findall(r"^(\S+)\s+: ok=\d+\s+changed=\d+\s+unreachable=0\s+failed=(\d+)", run.stdout, re.M))
    assert recap == {"localhost": "0", "lb1": "0", "lb2": "0", "web1": "0", "web2": "0"}, run.stdout[-3000:]


def test_validation_plays_pass_on_the_fleet_example_and_allocate_distinct_vrids(tmp_path, playbook_env):
    """inventories/example_fleet: three clusters (child groups of load_balancers) with their own backends, VIPs and
    vault files; site_a gives its VRID, site_b and site_c leave theirs to the allocation. Every host is this machine
    (the corpus facts copied under the fleet's names), so all three clusters share one segment: the allocated VRIDs
    must differ from each other and from site_a's."""
    plays = _validation_plays()
    playbook = tmp_path / "validate.yml"
    playbook.write_text(yaml.safe_dump(plays, sort_keys=False))
    inventory = tmp_path / "example_fleet"
    shutil.copytree(FLEET, inventory)
    for site, password in (("site_a", "FleetA8"), ("site_b", "FleetB8"), ("site_c", "FleetC8")):
        (inventory / "group_vars" / site / "vault.yml").write_text("---\nvault_keepalived_auth_pass: %s\n" % password)
    hosts = yaml.safe_load((inventory / "hosts.yml").read_text())
    facts = playbook_env["ANSIBLE_CACHE_PLUGIN_CONNECTION"]
    (inventory / "host_vars").mkdir(exist_ok=True)
    # The jsonfile cache names a host's file with a prefix of its own (s1_lb1 with ansible-core 2.19).
    prefix = [f[:-len("lb1")] for f in os.listdir(facts) if f.endswith("lb1")][0]
    names = []
    for group, template in (("load_balancers", "lb1"), ("webservers", "web1")):
        for site in hosts["all"]["children"][group]["children"].values():
            for index, name in enumerate(site["hosts"]):
                names.append(name)
                shutil.copy(os.path.join(facts, prefix + template), os.path.join(facts, prefix + name))
                if group == "webservers":
                    # Each web server its own backend address (the corpus range), as its own facts would give it.
                    address = "198.18.99.%d" % (191 + len(names) % 50)
                    (inventory / "host_vars" / (name + ".yml")).write_text("---\nnginx_lb_backend_address: %s\n" % address)
    cmd = [_ansible_playbook(), "-i", str(inventory), str(playbook), "--check",
           "-e", "ansible_python_interpreter=" + sys.executable] + LOCAL
    run = subprocess.run(cmd, cwd=ROOT, env=playbook_env, capture_output=True, text=True, timeout=300, check=False)
    output = run.stdout + run.stderr
    contacted = [address for address in _example_host_addresses(FLEET) if address in output]
    assert "ESTABLISH SSH CONNECTION" not in output and not contacted, "a host of the example was contacted: %s" % contacted
    assert run.returncode == 0, "the validation refused the fleet example:\n" + run.stdout[-5000:]
    assert "TASK [Gathering Facts]" not in run.stdout, "the hosts' facts were gathered, not read from the cache"
    recap = dict(re.findall(r"^(\S+)\s+: ok=\d+\s+changed=\d+\s+unreachable=0\s+failed=(\d+)", run.stdout, re.M))
    assert recap == dict([("localhost", "0")] + [(name, "0") for name in names]), run.stdout[-3000:]
    taken = dict(((cluster, instance), int(vrid)) for cluster, instance, vrid in re.findall(
        r"cluster (site_[abc]): instance (VI_\d) took VRID (\d+)", run.stdout))
    assert sorted(taken) == [("site_b", "VI_1"), ("site_b", "VI_2"), ("site_c", "VI_1")], run.stdout[-3000:]
    assert len(set(taken.values()) | {51}) == 4, taken
    for password in ("FleetA8", "FleetB8", "FleetC8"):
        assert password not in output
