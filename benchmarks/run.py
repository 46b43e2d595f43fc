# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""`make bench`: stand up the bench lab, measure, write docs/benchmarks.md, tear the lab down.

Steps (each an ansible-playbook run against inventories/bench, logs under --results):
  1. lab/up.yml                                  bench containers on halb-bench (198.18.74.0/24), sshd in each
  2. the deploy section (benchmarks/deploy.py), over each of --connections (docker, ssh), each on a fresh lab:
     playbooks/master_backup.yml as the first deploy (source build), 3 no-change runs, a one-file change and back,
     lab/drift_plant.yml then the repair run; wall time, controller CPU, per host tasks, round trips and
     commands (benchmarks/callback_plugins/halb_roundtrips.py). --collections ROOT runs the same against another
     checkout of the collection (before/after: report.py --results BEFORE_DIR --results AFTER_DIR)
  3. playbooks/drill.yml -e drill_name=<each>    failure drills with the client probe (standard profile)
  4. benchmarks/throughput.yml                   wrk: nginx_lb vs HAProxy (benchmarks/haproxy.yml) on the backup
                                                 load balancer, the tuning ladder (benchmarks/throughput.py)
     playbooks/monitoring.yml, benchmarks/monitoring_split_brain.yml   (step monitoring, benchmarks/monitoring.py)
                                                 Prometheus on the client; split brain: scrape-to-alert delay
     benchmarks/operations.yml                  (step operations, benchmarks/operations.py) every day-2 operation
                                                 under a client probe per VIP: run time, failed requests, VIP moves;
                                                 then again in dual_master with the fast profile (after step 5)
  5. playbooks/master_backup.yml -e keepalived_profile=fast, then every drill again (fast profile); the same
     with nopreempt (graceful), then with a dual-stack VIP pair (ipv6: graceful and crash on the IPv6 VIP)
  6. benchmarks/report.py                        docs/benchmarks.md and docs/benchmarks/*.png (matplotlib,
                                                 benchmarks/requirements.txt, installed by make bench)
  7. lab/down.yml                                always, unless --keep-lab
  8. the fleet section (step fleet, benchmarks/fleet.py; it runs first, before the bench lab is up), on a lab of
     its own (docker network halb-fleet, 198.19.96.0/20, containers halb-fleet-*): for each N of --fleet-sizes
     (default 1,5,10,20), N generated clusters (2 load balancers + 1 web server each, keepalived from Debian's
     package), lab/up.yml, playbooks/site.yml as the first deploy, 3 no-change runs, the containers' memory,
     lab/down.yml; the slope over N (one more cluster); on the largest size the no-change run with more forks,
     without pipelining, with the free strategy and with a fact cache. Writes docs/benchmarks-fleet.md (never
     docs/benchmarks.md); `--only fleet --fleet-sizes 1,2 --results .cache/bench-fleet` a small one.
Prints numbers; asserts nothing about them (a drill fails only on a wrong outcome). Standard library only.
"""

from __future__ import absolute_import, division, print_function

import argparse
import json
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import deploy as bench_deploy  # noqa: E402  (benchmarks/deploy.py)
import fleet as bench_fleet  # noqa: E402  (benchmarks/fleet.py)
import monitoring as bench_monitoring  # noqa: E402  (benchmarks/monitoring.py)
import operations as bench_operations  # noqa: E402  (benchmarks/operations.py)
import report  # noqa: E402  (benchmarks/report.py)

# vrrp_cut last: after the cut heals, clients that learned the backup's MAC keep it until their ARP entry
# expires (the master never left MASTER, so it sends no gratuitous ARP) and verify.yml reports the mismatch.
DRILLS = ["graceful", "crash", "nginx_restart", "nginx_dead", "nginx_hung", "backend_partition", "backend_dead", "vrrp_cut"]
# Configurations drilled, in this order, each a redeploy of the same lab: the keepalived_profile values, then
# the standard profile with nopreempt (issue 6, drill 6: the old master returns, preempt vs nopreempt).
# Then ipv6 (issue 16): the standard profile with a dual-stack VIP pair by unicast (inventories/bench
# bench_dual_stack_instances), the probe and the measured takeover on the IPv6 VIP.
PROFILES = ["standard", "fast", "nopreempt", "ipv6"]
PROFILE_VARS = {
    "nopreempt": {"keepalived_profile": "standard", "keepalived_nopreempt": True},
    "ipv6": {"keepalived_profile": "standard", "keepalived_unicast": True,
             "keepalived_instances": "{{ bench_dual_stack_instances }}", "drill_vip": "{{ bench_vip6 }}"},
}
# Drills per configuration (default: all of --drills); nopreempt only changes what happens on the return, ipv6
# drills the handovers.
PROFILE_DRILLS = {"nopreempt": ["graceful"], "ipv6": ["graceful", "crash"]}
# What --only can select.
STEPS = ["deploy", "drills", "throughput", "monitoring", "operations", "fleet"]
BUILD_TASKS = ("Configure the keepalived build", "Compile keepalived with all cores", "Install the keepalived build into")


def say(msg):
    print("\033[1;34m==> %s\033[0m" % msg, flush=True)


def playbook(args, name, playbook_path, extra=None, json_out=False, timeout=1800, env=None, measure=None):
    """Run one ansible-playbook; return (rc, seconds, path of its log). The collection's playbooks (playbooks/...)
    and FQCNs come from --collections; lab/ and benchmarks/ from this checkout. ``measure`` (a dict) receives the
    load average before the run and the controller CPU seconds of the ansible-playbook process tree."""
    log_path = os.path.join(args.results, name + (".json" if json_out else ".log"))
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    if playbook_path.startswith("playbooks/"):
        playbook_path = os.path.join(args.collections, "ansible_collections", "halb", "nginx_keepalived", playbook_path)
    cmd = ["ansible-playbook", "-i", args.inventory, playbook_path]
    for key, value in (extra or {}).items():
        cmd += ["-e", json.dumps({key: value})]
    env = dict(os.environ, ANSIBLE_FORCE_COLOR="false", ANSIBLE_COLLECTIONS_PATH=args.collections, **(env or {}))
    if json_out:
        env["ANSIBLE_STDOUT_CALLBACK"] = "ansible.posix.json"
    if measure is not None:
        measure["load"] = [round(x, 2) for x in os.getloadavg()]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    with open(log_path, "w") as log:
        try:
            rc = subprocess.call(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env, timeout=timeout)
        except subprocess.TimeoutExpired:
            rc = 124
    seconds = round(time.monotonic() - start, 1)
    if measure is not None:
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        measure.update(cpu_user_s=round(after.ru_utime - before.ru_utime, 2), cpu_sys_s=round(after.ru_stime - before.ru_stime, 2))
    print("    %-28s rc=%d  %6.1f s   (log: %s)" % (name, rc, seconds, os.path.relpath(log_path, ROOT)), flush=True)
    return rc, seconds, log_path


def deploy_details(json_log):
    """Per-host keepalived build time (configure + make + make install deltas) and changed counts."""
    try:
        with open(json_log) as f:
            text = f.read()
        data = json.loads(text[text.index("{"):])
    except (OSError, ValueError):
        return {}
    build = {}
    for play in data.get("plays", []):
        for task in play.get("tasks", []):
            # "halb.nginx_keepalived.keepalived : Compile keepalived with all cores" -> the task's own name
            name = task.get("task", {}).get("name", "").split(" : ")[-1]
            if not name.startswith(BUILD_TASKS):
                continue
            for host, res in task.get("hosts", {}).items():
                delta = res.get("delta")
                if delta:
                    h, m, s = delta.split(":")
                    build[host] = round(build.get(host, 0.0) + int(h) * 3600 + int(m) * 60 + float(s), 1)
    stats = data.get("stats", {})
    return {
        "build_s": build,
        "changed": {host: st.get("changed", 0) for host, st in stats.items()},
        "failures": {host: st.get("failures", 0) + st.get("unreachable", 0) for host, st in stats.items()},
    }


def run_drills(args, profile, extra):
    """Every drill of --drills against the lab as deployed with keepalived_profile=profile."""
    say("Failure drills, keepalived_profile=%s" % profile)
    out_dir = os.path.join(args.results, "drills", profile)
    os.makedirs(out_dir, exist_ok=True)
    drills = {}
    for drill in [d for d in args.drills.split(",") if d and d in PROFILE_DRILLS.get(profile, DRILLS)]:
        rc, secs, dummy = playbook(args, "drill-%s-%s" % (profile, drill), "playbooks/drill.yml",
                                   dict(extra, drill_name=drill, drill_results_dir=out_dir))
        path = os.path.join(out_dir, drill + ".json")
        entry = {"rc": rc, "seconds": secs}
        if os.path.exists(path) and os.path.getmtime(path) >= time.time() - secs - 1:
            with open(path) as f:
                entry.update(json.load(f))
            print("      takeover %s s, %s failed, error window %s s" % (
                entry.get("takeover_s"), entry.get("failed"), entry.get("error_window_s")), flush=True)
        drills[drill] = entry
    return drills


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inventory", default="inventories/bench")
    parser.add_argument("--results", default=os.path.join(ROOT, ".cache", "bench"))
    parser.add_argument("--report", default=os.path.join(ROOT, "docs", "benchmarks.md"))
    parser.add_argument("--drills", default=",".join(DRILLS), help="comma-separated drills to run")
    parser.add_argument("--profiles", default=",".join(PROFILES), help="comma-separated keepalived profiles to drill")
    parser.add_argument("--keep-lab", action="store_true", help="do not tear the bench lab down")
    parser.add_argument("--only", default=",".join(STEPS),
                        help="comma-separated steps of %s (without deploy: one deploy run, not timed)" % ",".join(STEPS))
    parser.add_argument("--throughput-steps", default="",
                        help="comma-separated steps of benchmarks/throughput.yml's tuning ladder (default: all)")
    parser.add_argument("--operations", default=",".join(bench_operations.CONFIGURATIONS),
                        help="comma-separated configurations of the operations step (%s)" % ",".join(bench_operations.CONFIGURATIONS))
    parser.add_argument("--skip-deploy", action="store_true", help="reuse a bench lab deployed with the standard profile (no deploy timings)")
    parser.add_argument("--connections", default=",".join(bench_deploy.CONNECTIONS),
                        help="comma-separated connections of the deploy section (%s), each on a fresh lab" % ",".join(bench_deploy.CONNECTIONS))
    parser.add_argument("--collections", default=os.path.join(ROOT, ".build", "collections"),
                        help="ANSIBLE_COLLECTIONS_PATH root holding ansible_collections/halb/nginx_keepalived to measure (another"
                             " checkout: the before of a before/after); default this checkout's")
    parser.add_argument("--label", help="name of what --collections holds in the report (default: its commit)")
    parser.add_argument("--fleet-sizes", default=",".join(str(n) for n in bench_fleet.SIZES),
                        help="comma-separated numbers of clusters of the fleet step, in the order they run")
    parser.add_argument("--fleet-variants", default=",".join(name for name, dummy, dummy2 in bench_fleet.VARIANTS),
                        help="comma-separated variants of the no-change run on the largest fleet (%s), or none"
                             % ",".join(name for name, dummy, dummy2 in bench_fleet.VARIANTS))
    parser.add_argument("--fleet-report", default=os.path.join(ROOT, "docs", "benchmarks-fleet.md"),
                        help="the fleet step's page")
    args = parser.parse_args(argv)
    args.results = os.path.abspath(args.results)
    args.collections = os.path.abspath(args.collections)
    if not os.path.isdir(os.path.join(args.collections, "ansible_collections", "halb", "nginx_keepalived", "playbooks")):
        parser.error("--collections %s: no ansible_collections/halb/nginx_keepalived/playbooks there" % args.collections)
    connections = [c for c in args.connections.split(",") if c]
    if not connections or not set(connections) <= set(bench_deploy.CONNECTIONS):
        parser.error("--connections %s: allowed connections are %s" % (args.connections, ",".join(bench_deploy.CONNECTIONS)))
    only = set(args.only.split(","))
    if not only <= set(STEPS):
        parser.error("--only %s: allowed steps are %s" % (args.only, ",".join(STEPS)))
    try:
        fleet_sizes = [int(n) for n in args.fleet_sizes.split(",") if n]
    except ValueError:
        fleet_sizes = []
    if not fleet_sizes or min(fleet_sizes) < 1:
        parser.error("--fleet-sizes %s: positive numbers of clusters, comma-separated" % args.fleet_sizes)
    fleet_variants = [] if args.fleet_variants == "none" else [v for v in args.fleet_variants.split(",") if v]
    known_variants = [name for name, dummy, dummy2 in bench_fleet.VARIANTS]
    if not set(fleet_variants) <= set(known_variants):
        parser.error("--fleet-variants %s: allowed variants are %s, or none" % (args.fleet_variants, ",".join(known_variants)))
    # The steps on the bench lab (inventories/bench); the fleet step brings up its own.
    bench_lab = bool(only - {"fleet"})
    operations = [c for c in args.operations.split(",") if c] if "operations" in only else []
    if not set(operations) <= set(bench_operations.CONFIGURATIONS):
        parser.error("--operations %s: allowed configurations are %s" % (args.operations, ",".join(bench_operations.CONFIGURATIONS)))
    if "drills" not in only:
        args.drills = ""
        if only & {"throughput", "monitoring", "operations"}:
            args.profiles = "standard"
    os.makedirs(os.path.join(args.results, "drills"), exist_ok=True)

    started = time.monotonic()
    meta = report.machine_info()
    results = {"meta": meta, "steps": {}, "deploy": {}, "profiles": {}}
    commit = bench_deploy.collection_commit(args.collections)
    meta["collection"] = {"path": args.collections, "commit": commit}
    try:
        if "fleet" in only:
            # First, while the machine holds no bench lab: the fleet's containers are all it runs.
            results["fleet"] = bench_fleet.run(args, playbook, say, fleet_sizes, fleet_variants)
        if not bench_lab:
            return 1 if bench_fleet.failed(results) else 0
        if not args.skip_deploy and "deploy" in only:
            # A first deploy needs a lab nothing was deployed to (lab/up.yml keeps containers it finds).
            say("Bench lab down first: the deploy section starts from new containers")
            playbook(args, "lab-down-before", "lab/down.yml")
        say("Bench lab up (%s)" % args.inventory)
        rc, secs, dummy = playbook(args, "lab-up", "lab/up.yml")
        results["steps"]["lab_up"] = {"rc": rc, "seconds": secs}
        if rc != 0:
            raise SystemExit("lab/up.yml failed")

        if not args.skip_deploy and "deploy" in only:
            section = results["deploy_section"] = {"label": args.label or commit, "collections": args.collections,
                                                   "ssh": bench_deploy.ssh_settings(ROOT), "connections": {}}
            for index, connection in enumerate(connections):
                if index:
                    say("New bench lab containers for the deploy section over %s" % connection)
                    playbook(args, "lab-down-before-" + connection, "lab/down.yml")
                    rc, secs, dummy = playbook(args, "lab-up-" + connection, "lab/up.yml")
                    if rc != 0:
                        raise SystemExit("lab/up.yml failed")
                runs = section["connections"][connection] = bench_deploy.run(args, playbook, say, deploy_details, connection)
            # The deploy-time table (first run, second run): the docker connection's, as before the SSH runs.
            legacy = section["connections"].get("docker") or runs
            results["deploy"]["first"] = legacy["first"]
            if legacy.get("no_change"):
                results["deploy"]["second"] = legacy["no_change"][0]
            # The later steps run on the lab the last connection deployed.
            if runs["first"]["rc"] != 0:
                raise SystemExit("deploy (first run) failed")
        elif not args.skip_deploy:
            # Without the deploy step (--only throughput), one run: the lab must be deployed, its timing is no result.
            say("Deploy playbooks/master_backup.yml: first run (builds keepalived)")
            rc, secs, log = playbook(args, "deploy-first", "playbooks/master_backup.yml", json_out=True)
            details = deploy_details(log)
            results["deploy"]["first"] = dict(details, rc=rc, seconds=secs)
            print("      build per LB: %s  changed: %s" % (details.get("build_s"), details.get("changed")), flush=True)
            if rc != 0:
                raise SystemExit("deploy (first run) failed")

        for profile in [p for p in args.profiles.split(",") if p]:
            extra = PROFILE_VARS.get(profile, {"keepalived_profile": profile})
            if profile != "standard":
                say("Deploy playbooks/master_backup.yml with %s" % " ".join("%s=%s" % kv for kv in sorted(extra.items())))
                rc, secs, log = playbook(args, "deploy-" + profile, "playbooks/master_backup.yml", extra, json_out=True)
                details = deploy_details(log)
                results["deploy"][profile] = dict(details, rc=rc, seconds=secs)
                print("      changed: %s" % details.get("changed"), flush=True)
                if rc != 0:
                    results["profiles"][profile] = {"error": "deploy failed (rc %d), see %s" % (rc, os.path.relpath(log, ROOT))}
                    continue
            results["profiles"][profile] = {"drills": run_drills(args, profile, extra)}
            if profile == "standard" and "throughput" in only:
                say("Throughput (wrk): nginx_lb vs HAProxy")
                bench_vars = {"bench_results_dir": args.results}
                if args.throughput_steps:
                    bench_vars["bench_step_names"] = args.throughput_steps.split(",")
                rc, secs, dummy = playbook(args, "throughput", "benchmarks/throughput.yml", bench_vars, timeout=3600)
                results["steps"]["throughput"] = {"rc": rc, "seconds": secs}
                path = os.path.join(args.results, "throughput.json")
                if rc == 0 and os.path.exists(path):
                    with open(path) as f:
                        results["throughput"] = json.load(f)
            if profile == "standard" and "monitoring" in only:
                results["monitoring"] = bench_monitoring.run(args, playbook, say)
            if profile == "standard" and "standard" in operations:
                results["operations"] = {"standard": bench_operations.run(args, playbook, say, "standard")}
        # The other configurations last: each is a deploy of its own, and the bench lab goes down after them.
        for name in [c for c in operations if c != "standard"]:
            results.setdefault("operations", {})[name] = bench_operations.run(args, playbook, say, name)
    finally:
        if bench_lab and not args.keep_lab:
            say("Bench lab down")
            rc, secs, dummy = playbook(args, "lab-down", "lab/down.yml")
        results["steps"]["total_seconds"] = round(time.monotonic() - started, 1)
        with open(os.path.join(args.results, "results.json"), "w") as f:
            json.dump(results, f, indent=2, sort_keys=True)
        measured = [d for r in results["profiles"].values() for d in r.get("drills", {}).values() if "requests" in d]
        if results.get("fleet"):
            say("Writing %s" % os.path.relpath(args.fleet_report, ROOT))
            report.write(results, args.results, args.fleet_report, only="fleet")
        if not measured:
            # Keep the published page: a run that measured nothing writes its report next to its logs.
            args.report = os.path.join(args.results, "benchmarks.md")
        if bench_lab:
            say("Writing %s" % os.path.relpath(args.report, ROOT))
            report.write(results, args.results, args.report)
        print("    make bench took %.0f s" % results["steps"]["total_seconds"], flush=True)
    failed = [(p, d) for p, r in results["profiles"].items() for d, e in r.get("drills", {"deploy": {"rc": 1}}).items()
              if e.get("rc")]
    return 1 if (failed or results["steps"].get("throughput", {}).get("rc") or bench_monitoring.failed(results)
                 or bench_operations.failed(results) or bench_deploy.failed(results) or bench_fleet.failed(results)) else 0


if __name__ == "__main__":
    sys.exit(main())
