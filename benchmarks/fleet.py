# -*- coding: utf-8 -*-
# Copyright (c) 2026, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""make bench, fleet section (issue 30, item 6): what a deploy costs as the inventory grows from one cluster to many.

For each size N of --fleet-sizes (default 1,5,10,20) an inventory of N clusters is generated into
<results>/fleet/n<N>/inventory/hosts.yml: per cluster two load balancers (master_backup, one VIP) and one web server,
keepalived from Debian's package (keepalived_install_method: package) so that the curve measures the tool and not
2 x N compiles, every other cluster's VRID left to the collection's allocator, and a VRRP password generated per
cluster into that file (under the git-ignored results directory, never committed). All clusters share one docker
network of their own, halb-fleet (198.19.96.0/20, room for a thousand clusters), with containers halb-fleet-*.

Per size: lab/up.yml, the first deploy (playbooks/site.yml), NO_CHANGE_RUNS no-change runs (the median is the
result), the memory the fleet's containers take (their cgroups, as docker stats counts it), then lab/down.yml. Per
run: wall time, controller CPU, the load average before it, and per host and per task the time spent
(benchmarks/callback_plugins/halb_roundtrips.py). The marginal cost of one more cluster is the least-squares
slope of the time over N. On the last size asked for (or the last one the memory holds), the no-change run again
with each of VARIANTS (forks, pipelining off, the free strategy, a jsonfile fact cache). A size the machine cannot hold (memory, or a run that
times out or fails) ends the section, and the record says why. Hooked into run.py (run) and report.py (render).
Standard library only.
"""

from __future__ import absolute_import, division, print_function

import ipaddress
import json
import os
import re
import secrets
import shutil
import statistics
import string
import subprocess

import deploy as bench_deploy  # benchmarks/deploy.py: measured(), one run with the halb_roundtrips counts

__metaclass__ = type

SIZES = (1, 5, 10, 20)
NO_CHANGE_RUNS = 3
NETWORK = "halb-fleet"
SUBNET = "198.19.96.0/20"
CONTAINER_PREFIX = "halb-fleet-"
IMAGE = "halb/debian:bookworm"
PLAYBOOK = "playbooks/site.yml"
# Addresses: cluster c (1-based) takes four consecutive ones from FIRST_OFFSET in SUBNET: lb1, lb2, web1, its VIP.
FIRST_OFFSET = 16
HOSTS_PER_CLUSTER = 3
# Every other cluster gives its VRID (EXPLICIT_VRID_BASE + c, for odd c); the even ones leave it to the allocator.
EXPLICIT_VRID_BASE = 100
PASSWORD_CHARS = string.ascii_letters + string.digits
# Memory the machine keeps free when it decides whether it can hold the next size, and the guess per container
# before any size has been measured (MiB).
MEMORY_RESERVE_MIB = 1024
MEMORY_GUESS_MIB = 120
# The variants of the no-change run on the largest size: name -> (environment, what it changes).
VARIANTS = (
    ("forks=20", {"ANSIBLE_FORKS": "20"}, "twice ansible.cfg's 10 workers"),
    ("forks=40", {"ANSIBLE_FORKS": "40"}, "four times ansible.cfg's 10 workers"),
    ("pipelining off", {"ANSIBLE_PIPELINING": "False"}, "each module copied into the host, then run (ansible.cfg: on)"),
    ("strategy free", {"ANSIBLE_STRATEGY": "free"},
     "each host runs ahead in the deploy plays without waiting for the others at every task (the validation and plan"
     " plays stay linear: they read every host's inputs)"),
    ("fact cache", {"ANSIBLE_CACHE_PLUGIN": "jsonfile", "ANSIBLE_GATHERING": "smart"},
     "jsonfile cache, gathering smart: a first run fills it, the second (measured) reads it"),
)


def cluster_name(index):
    return "fleet%02d" % index


def cluster_addresses(index, subnet=SUBNET):
    """Cluster ``index`` (1-based): its lb1, lb2, web1 and VIP addresses in ``subnet``."""
    network = ipaddress.ip_network(subnet)
    first = network.network_address + FIRST_OFFSET + (index - 1) * (HOSTS_PER_CLUSTER + 1)
    addresses = [str(first + k) for k in range(HOSTS_PER_CLUSTER + 1)]
    if ipaddress.ip_address(addresses[-1]) >= network.broadcast_address:
        raise ValueError("cluster %d does not fit in %s" % (index, subnet))
    return dict(zip(("lb1", "lb2", "web1", "vip"), addresses))


def new_password(length=8):
    return "".join(secrets.choice(PASSWORD_CHARS) for dummy in range(length))


def inventory(size, password=new_password, subnet=SUBNET, network=NETWORK, image=IMAGE):
    """The inventory of ``size`` clusters (a dict for hosts.yml): each a child group of load_balancers with its
    web server in a child group of webservers, and its settings as that group's vars."""
    prefix = ipaddress.ip_network(subnet).prefixlen
    load_balancers, webservers = {}, {}
    for index in range(1, size + 1):
        name = cluster_name(index)
        addresses = cluster_addresses(index, subnet)
        instance = {"name": "VI_1", "virtual_ipaddresses": ["%s/%d" % (addresses["vip"], prefix)]}
        if index % 2:
            instance["virtual_router_id"] = EXPLICIT_VRID_BASE + index
        hosts = {}
        for role in ("lb1", "lb2", "web1"):
            host = "f%02d-%s" % (index, role)
            container = "%s%02d-%s" % (CONTAINER_PREFIX, index, role)
            hosts[host] = {"ansible_host": container, "lab_container": container, "lab_ipv4": addresses[role]}
        load_balancers[name] = {
            "hosts": {h: v for h, v in hosts.items() if not h.endswith("web1")},
            "vars": {"keepalived_cluster_group": name, "nginx_lb_backend_group": name + "_web",
                     "keepalived_backend_check_group": name + "_web", "keepalived_topology": "master_backup",
                     "keepalived_instances": [instance], "keepalived_auth_pass": password()},
        }
        webservers[name + "_web"] = {"hosts": {h: v for h, v in hosts.items() if h.endswith("web1")}}
    return {"all": {
        "vars": {"ansible_connection": "community.docker.docker", "ansible_python_interpreter": "/usr/bin/python3",
                 "keepalived_install_method": "package", "lab_network": network, "lab_subnet": subnet, "lab_image": image},
        "children": {"load_balancers": {"children": load_balancers}, "webservers": {"children": webservers}},
    }}


def containers(inv):
    """The container names of an inventory() dict."""
    names = []
    for group in inv["all"]["children"].values():
        for child in group["children"].values():
            names += [host["lab_container"] for host in child["hosts"].values()]
    return sorted(names)


def write_inventory(directory, inv):
    """hosts.yml (JSON is YAML) in ``directory``, readable by its owner only: it holds the VRRP passwords."""
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "hosts.yml")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("# Generated by benchmarks/fleet.py; holds generated VRRP passwords: never commit it.\n")
        json.dump(inv, f, indent=2, sort_keys=True)
        f.write("\n")
    return path


def slope(points):
    """Least-squares line through [(x, y)]: (slope, intercept); (None, None) with fewer than two distinct x."""
    points = [(float(x), float(y)) for x, y in points if x is not None and y is not None]
    if len({x for x, dummy in points}) < 2:
        return None, None
    mean_x = sum(x for x, dummy in points) / len(points)
    mean_y = sum(y for dummy, y in points) / len(points)
    sxx = sum((x - mean_x) ** 2 for x, dummy in points)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    b = sxy / sxx
    return round(b, 3), round(mean_y - b * mean_x, 3)


def parse_memory_stat(text):
    """A cgroup's memory.stat ('key value' lines) -> {key: int}."""
    stat = {}
    for line in text.splitlines():
        key, dummy, value = line.partition(" ")
        if value.strip().isdigit():
            stat[key] = int(value)
    return stat


def working_set(usage, stat):
    """What `docker stats` calls a container's memory (its cgroup's usage less its inactive page cache, cgroup v1 and
    v2), and its anonymous memory (RSS), in MiB."""
    inactive = stat.get("total_inactive_file", stat.get("inactive_file", 0))
    rss = stat.get("total_rss", stat.get("anon", 0))
    return {"mib": round(max(usage - inactive, 0) / 1024 ** 2, 1), "rss_mib": round(rss / 1024 ** 2, 1)}


def memory_summary(memory):
    """Per container {mib, rss_mib} -> the fleet's totals."""
    if not memory:
        return {}
    values = [m["mib"] for m in memory.values()]
    return {"containers": len(values), "total_mib": round(sum(values), 1), "per_container_mib": round(sum(values) / len(values), 1),
            "max_mib": max(values), "rss_total_mib": round(sum(m["rss_mib"] for m in memory.values()), 1)}


# Where a container's memory cgroup is, by its full id: cgroup v1 (this machine), cgroup v2 with systemd or cgroupfs.
CGROUP_DIRS = ("/sys/fs/cgroup/memory/docker/%s", "/sys/fs/cgroup/system.slice/docker-%s.scope", "/sys/fs/cgroup/docker/%s")


def _read_cgroup(container_id):
    for pattern in CGROUP_DIRS:
        directory = pattern % container_id
        for usage_file in ("memory.usage_in_bytes", "memory.current"):
            try:
                with open(os.path.join(directory, usage_file)) as f:
                    usage = int(f.read())
                with open(os.path.join(directory, "memory.stat")) as f:
                    return working_set(usage, parse_memory_stat(f.read()))
            except (OSError, ValueError):
                continue
    return None


def fleet_memory(prefix=CONTAINER_PREFIX):
    """The fleet containers' memory now, read from their cgroups (`docker stats` reports 0 B for these systemd
    containers here: their processes live in sub-cgroups), and the machine's MemAvailable."""
    try:
        out = subprocess.run(["docker", "ps", "--no-trunc", "--filter", "name=" + prefix, "--format", "{{.ID}}\t{{.Names}}"],
                             capture_output=True, text=True, timeout=60, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        out = ""
    memory = {}
    for line in out.splitlines():
        container_id, dummy, name = line.partition("\t")
        found = _read_cgroup(container_id) if name.startswith(prefix) else None
        if found:
            memory[name] = found
    return dict(memory_summary(memory), available_mib=available_mib())


# Where a container's CPU accounting is, by its full id: cgroup v1 (this machine: nanoseconds), cgroup v2 (cpu.stat's
# usage_usec).
CPU_FILES = ("/sys/fs/cgroup/cpuacct/docker/%s/cpuacct.usage", "/sys/fs/cgroup/system.slice/docker-%s.scope/cpu.stat",
             "/sys/fs/cgroup/docker/%s/cpu.stat")


def parse_cpu_usage(path, text):
    """CPU seconds a container's cgroup has used: cpuacct.usage (ns, cgroup v1) or cpu.stat's usage_usec (v2)."""
    if path.endswith("cpuacct.usage"):
        return int(text.strip()) / 1e9
    stat = parse_memory_stat(text)
    return stat["usage_usec"] / 1e6 if "usage_usec" in stat else None


def fleet_cpu(prefix=CONTAINER_PREFIX):
    """CPU seconds the fleet's containers have used since they started, summed (None when no cgroup was readable)."""
    try:
        out = subprocess.run(["docker", "ps", "--no-trunc", "--filter", "name=" + prefix, "--format", "{{.ID}}\t{{.Names}}"],
                             capture_output=True, text=True, timeout=60, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    total, seen = 0.0, 0
    for line in out.splitlines():
        container_id, dummy, name = line.partition("\t")
        for pattern in CPU_FILES if name.startswith(prefix) else ():
            try:
                with open(pattern % container_id) as f:
                    used = parse_cpu_usage(pattern, f.read())
            except (OSError, ValueError):
                continue
            if used is not None:
                total, seen = total + used, seen + 1
                break
    return round(total, 2) if seen else None


def parse_proc_stat(text):
    """/proc/stat's first line -> (busy, total) jiffies of every core (idle and iowait are not busy)."""
    fields = [int(v) for v in text.splitlines()[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)


def machine_cpu():
    try:
        with open("/proc/stat") as f:
            return parse_proc_stat(f.read())
    except (OSError, ValueError, IndexError):
        return None


def cpu_split(before, after, hosts_before, hosts_after, cores, ticks=100):
    """What the machine's cores did during a run: busy CPU seconds in all, the containers' share, and how busy the
    cores were (busy / (cores x elapsed))."""
    out = {}
    if before and after and after[1] > before[1]:
        busy, total = after[0] - before[0], after[1] - before[1]
        out.update(machine_busy_s=round(busy / float(ticks), 1), machine_busy_share=round(busy / float(total), 3),
                   cores=cores)
    if hosts_before is not None and hosts_after is not None:
        out["hosts_cpu_s"] = round(hosts_after - hosts_before, 1)
    return out


def available_mib():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def too_big(size, per_container_mib, available):
    """Why the machine cannot hold ``size`` clusters (None when it can): their containers at the memory measured
    per container (or MEMORY_GUESS_MIB) must leave MEMORY_RESERVE_MIB free."""
    if available is None:
        return None
    need = size * HOSTS_PER_CLUSTER * (per_container_mib or MEMORY_GUESS_MIB)
    if need + MEMORY_RESERVE_MIB > available:
        return "%d clusters need about %d MiB (%d containers x %.0f MiB), %d MiB available, %d kept free" % (
            size, need, size * HOSTS_PER_CLUSTER, per_container_mib or MEMORY_GUESS_MIB, available, MEMORY_RESERVE_MIB)
    return None


def no_change_summary(runs):
    """The median of the no-change runs: wall, CPU, and the run whose wall time is the median (for its tasks)."""
    ok = [r for r in runs if not r.get("rc")]
    if not ok:
        return {}
    median_run = sorted(ok, key=lambda r: r["seconds"])[(len(ok) - 1) // 2]
    summary = {"seconds": statistics.median(r["seconds"] for r in ok), "cpu_s": statistics.median(r["cpu_s"] for r in ok),
               "runs": len(ok), "median_run": median_run.get("log")}
    for key in ("hosts_cpu_s", "machine_busy_s", "machine_busy_share"):
        values = [r[key] for r in ok if r.get(key) is not None]
        if values:
            summary[key] = statistics.median(values)
    return summary


def top_tasks(record, count=10):
    """The ``count`` tasks of a run with the longest wall time: [(name, wall, host seconds)]."""
    tasks = record.get("task_seconds") or {}
    ranked = sorted(tasks.items(), key=lambda kv: (-kv[1].get("wall", 0), kv[0]))[:count]
    return [(name, t.get("wall"), t.get("hosts")) for name, t in ranked]


def task_growth(small, large, clusters, count=10):
    """The tasks whose wall time grows most from run ``small`` to run ``large`` (``clusters`` more clusters):
    [(name, wall small, wall large, seconds per cluster more)]."""
    before = small.get("task_seconds") or {}
    after = large.get("task_seconds") or {}
    grown = []
    for name in set(before) | set(after):
        wall_before = (before.get(name) or {}).get("wall", 0.0)
        wall_after = (after.get(name) or {}).get("wall", 0.0)
        grown.append((name, wall_before, wall_after, round((wall_after - wall_before) / clusters, 3)))
    return sorted(grown, key=lambda g: (-g[3], g[0]))[:count]


def median_run(entry):
    """The no-change run of a size whose wall time is the median (its per-task times stand for the size)."""
    log = (entry.get("no_change_median") or {}).get("median_run")
    return next((r for r in entry.get("no_change") or [] if r.get("log") == log), None)


def task_results(record):
    """Task results of a run, all hosts: ok (changed included), skipped and failed, as halb_roundtrips counts them."""
    hosts = (record or {}).get("hosts") or {}
    return sum(h.get("tasks", 0) + h.get("skipped", 0) + h.get("failed", 0) for h in hosts.values()) or None


def host_kinds(record):
    """Per kind of host (load balancer, web server): hosts, and the median and largest time a host spent in tasks."""
    kinds = {}
    for host, seconds in (record.get("host_seconds") or {}).items():
        kinds.setdefault("web server" if "-web" in host else "load balancer", []).append(seconds)
    return {kind: {"hosts": len(v), "median_s": round(statistics.median(v), 1), "max_s": round(max(v), 1)}
            for kind, v in sorted(kinds.items())}


def _fargs(args, size_dir, inventory_path):
    """The run.py arguments for one size: its own inventory and results directory."""
    fargs = type(args)(**vars(args))
    fargs.inventory = inventory_path
    fargs.results = size_dir
    return fargs


def _lab(fargs, playbook, name, playbook_path, timeout):
    rc, secs, log = playbook(fargs, name, playbook_path, timeout=timeout)
    return {"rc": rc, "seconds": secs, "log": os.path.relpath(log, fargs.results)}


def _measure(fargs, playbook, name, timeout, env=None):
    """One measured run of PLAYBOOK (bench_deploy.measured: counts, CPU, load) with its changed and failed counts,
    ended after ``timeout`` seconds (rc 124)."""
    hosts_before, before = fleet_cpu(), machine_cpu()
    record = bench_deploy.measured(fargs, playbook, "docker", name, PLAYBOOK, env=env, out_dir=os.path.join(fargs.results, "runs"),
                                   timeout=timeout)
    record.update(cpu_split(before, machine_cpu(), hosts_before, fleet_cpu(), os.cpu_count()))
    details = _details(os.path.join(fargs.results, record["log"]))
    record.update(changed=sum(details.get("changed", {}).values()), failures=sum(details.get("failures", {}).values()))
    return record


def _details(json_log):
    try:
        with open(json_log) as f:
            text = f.read()
        stats = json.loads(text[text.index("{"):]).get("stats", {})
    except (OSError, ValueError):
        return {}
    return {"changed": {h: s.get("changed", 0) for h, s in stats.items()},
            "failures": {h: s.get("failures", 0) + s.get("unreachable", 0) for h, s in stats.items()}}


def timeouts(size):
    """How long a first deploy and a no-change run of ``size`` clusters may take before they are ended (s)."""
    return {"first": 900 + 120 * size, "no_change": 300 + 60 * size}


def _failure(what, record, timeout):
    if record.get("rc") == 124:
        return "%s did not end within %d s (%s)" % (what, timeout, record.get("log"))
    return "%s failed (rc %s, %s)" % (what, record.get("rc"), record.get("log"))


def run_variants(fargs, playbook, say, size, names):
    """The no-change run with each of VARIANTS that ``names`` lists, on the lab of ``size`` clusters as deployed."""
    timeout = timeouts(size)["no_change"]
    variants = {}
    for name, env, what in VARIANTS:
        if name not in names:
            continue
        slug = re.sub(r"[^a-z0-9]+", "-", name)
        env = dict(env)
        say("Fleet of %d: no-change run with %s" % (size, name))
        if "ANSIBLE_CACHE_PLUGIN" in env:
            cache = os.path.join(fargs.results, "fact-cache")
            shutil.rmtree(cache, ignore_errors=True)
            env["ANSIBLE_CACHE_PLUGIN_CONNECTION"] = cache
            fill = _measure(fargs, playbook, "variant-%s-fill" % slug, timeout, env)
            record = _measure(fargs, playbook, "variant-" + slug, timeout, env)
            record["fill"] = {k: fill.get(k) for k in ("rc", "seconds", "cpu_s")}
        else:
            record = _measure(fargs, playbook, "variant-" + slug, timeout, env)
        record["what"] = what
        variants[name] = record
    return variants


def run(args, playbook, say, sizes=SIZES, variants=None):
    """The fleet section: every size of ``sizes`` in turn on its own fleet lab, then the no-change run with each of
    ``variants`` (default: every one of VARIANTS) on the largest; returns its results."""
    variants = [name for name, dummy, dummy2 in VARIANTS] if variants is None else list(variants)
    section = {"sizes": {}, "requested": list(sizes), "variants_requested": variants, "no_change_runs": NO_CHANGE_RUNS,
               "network": NETWORK, "subnet": SUBNET,
               "playbook": PLAYBOOK, "forks": _forks(), "collection": bench_deploy.collection_commit(args.collections)}
    per_container = None
    for position, size in enumerate(sizes):
        reason = too_big(size, per_container, available_mib())
        if reason:
            section["stopped"] = {"size": size, "reason": reason}
            say("Fleet of %d clusters skipped: %s" % (size, reason))
            break
        size_dir = os.path.join(args.results, "fleet", "n%d" % size)
        shutil.rmtree(size_dir, ignore_errors=True)
        inv = inventory(size)
        fargs = _fargs(args, size_dir, write_inventory(os.path.join(size_dir, "inventory"), inv))
        entry = section["sizes"][str(size)] = {"clusters": size, "containers": len(containers(inv))}
        try:
            say("Fleet of %d clusters (%d containers on %s): lab up" % (size, entry["containers"], NETWORK))
            entry["lab_up"] = _lab(fargs, playbook, "lab-up", "lab/up.yml", timeout=300 + 30 * entry["containers"])
            entry["memory_idle"] = fleet_memory()
            if entry["lab_up"]["rc"]:
                section["stopped"] = {"size": size, "reason": "lab/up.yml failed (rc %s)" % entry["lab_up"]["rc"]}
                break
            say("Fleet of %d clusters: first deploy" % size)
            entry["first"] = _measure(fargs, playbook, "first", timeouts(size)["first"])
            entry["memory"] = fleet_memory()
            if entry["first"]["rc"]:
                section["stopped"] = {"size": size, "reason": _failure("the first deploy", entry["first"], timeouts(size)["first"])}
                break
            say("Fleet of %d clusters: no-change run x%d" % (size, NO_CHANGE_RUNS))
            entry["no_change"] = [_measure(fargs, playbook, "no-change-%d" % (i + 1), timeouts(size)["no_change"])
                                  for i in range(NO_CHANGE_RUNS)]
            entry["no_change_median"] = no_change_summary(entry["no_change"])
            broken = [r for r in entry["no_change"] if r.get("rc")]
            if broken:
                section["stopped"] = {"size": size, "reason": _failure("a no-change run", broken[0], timeouts(size)["no_change"])}
                break
            per_container = (entry["memory"] or {}).get("per_container_mib") or per_container
            following = sizes[position + 1] if position + 1 < len(sizes) else None
            # The variants run on the last size that will run: the last one asked for, or the last one that fits.
            freed = (available_mib() or 0) + (entry["memory"].get("total_mib") or 0)
            if variants and (following is None or too_big(following, per_container, freed)):
                entry["variants"] = run_variants(fargs, playbook, say, size, variants)
        finally:
            say("Fleet of %d clusters: lab down" % size)
            entry["lab_down"] = _lab(fargs, playbook, "lab-down", "lab/down.yml", timeout=300 + 10 * entry["containers"])
    section["marginal"] = marginal(section)
    return section


def _forks():
    try:
        out = subprocess.run(["ansible-config", "dump", "--only-changed"], capture_output=True, text=True, timeout=60,
                             check=False, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__)))).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r"^DEFAULT_FORKS\(.*\) = (\d+)", out, re.M)
    return int(match.group(1)) if match else 5


def marginal(section):
    """Seconds per cluster more (least-squares slope over the sizes that ran) of the first deploy and the no-change
    run, wall and controller CPU, and the no-change run of the largest size over one cluster's."""
    sizes = [(int(n), e) for n, e in section.get("sizes", {}).items()]
    first = [(n, e["first"]) for n, e in sizes if e.get("first") and not e["first"].get("rc")]
    same = [(n, e["no_change_median"]) for n, e in sizes if e.get("no_change_median")]
    out = {}
    for kind, points in (("first", first), ("no_change", same)):
        for key in ("seconds", "cpu_s", "hosts_cpu_s", "machine_busy_s"):
            b, a = slope([(n, r.get(key)) for n, r in points])
            out["%s_%s" % (kind, key)] = {"per_cluster": b, "intercept": a}
    one = dict(same).get(1)
    largest, record = max(same, key=lambda p: p[0]) if same else (None, None)
    if one and largest > 1:
        out["no_change_ratio"] = {"clusters": largest, "ratio": round(record["seconds"] / one["seconds"], 2)}
    return out


def failed(results):
    """Whether a fleet run failed (a first deploy or a no-change run; variants are reported, not judged)."""
    for entry in ((results.get("fleet") or {}).get("sizes") or {}).values():
        runs = [entry.get("first")] + list(entry.get("no_change") or [])
        if any(r and r.get("rc") for r in runs) or (entry.get("lab_up") or {}).get("rc"):
            return True
    return False


def _f(value, digits=1):
    if value is None:
        return "-"
    if isinstance(value, float):
        return ("%.*f" % (digits, value)).rstrip("0").rstrip(".") if digits else "%.0f" % value
    return str(value)


def _wall(record):
    if not record:
        return "-"
    text = _f(record.get("seconds"))
    if record.get("rc"):
        text += " (rc %s)" % record["rc"]
    return text


def _size_rows(section):
    rows = ["| clusters | containers | first deploy (s) | its controller CPU (s) | no change, median (s) | its controller CPU (s)"
            " | no-change runs (s) | changed in no-change runs | containers' memory after the deploy (MiB: total, per container, RSS"
            " total) | task results, all hosts (no change) | controller CPU per task result (ms, no change)"
            " | load before the first deploy, before each no-change run | containers' CPU, no change (s) | cores busy, no change |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for size, entry in sorted(section.get("sizes", {}).items(), key=lambda kv: int(kv[0])):
        first = entry.get("first") or {}
        median = entry.get("no_change_median") or {}
        memory = entry.get("memory") or {}
        runs = entry.get("no_change") or []
        results = task_results(median_run(entry))
        rows.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            size, entry.get("containers"), _wall(first), _f(first.get("cpu_s")), _f(median.get("seconds")),
            _f(median.get("cpu_s")), ", ".join(_wall(r) for r in runs) or "-", ", ".join(_f(r.get("changed")) for r in runs) or "-",
            "%s, %s, %s" % (_f(memory.get("total_mib"), 0), _f(memory.get("per_container_mib")), _f(memory.get("rss_total_mib"), 0))
            if memory else "-",
            _f(results), _f(1000.0 * median["cpu_s"] / results, 0) if results and median.get("cpu_s") else "-",
            "; ".join([_f((first.get("load") or [None])[0], 2), ", ".join(_f((r.get("load") or [None])[0], 2) for r in runs)]),
            _f(median.get("hosts_cpu_s")),
            "%.0f %%" % (100 * median["machine_busy_share"]) if median.get("machine_busy_share") is not None else "-"))
    return rows


def bound(section, goal=4.0, clusters=20):
    """What the CPU allows: each no-change run's busy CPU seconds (controller, containers, dockerd: the whole machine)
    per cluster more, the fewest seconds a run over ``clusters`` clusters can take on this machine's cores at that
    cost, and the busy CPU per cluster more that the goal (``goal`` times one cluster's wall time) would allow."""
    marginal_ = section.get("marginal") or {}
    per_cluster = (marginal_.get("no_change_machine_busy_s") or {}).get("per_cluster")
    sizes = section.get("sizes") or {}
    one = (sizes.get("1") or {}).get("no_change_median") or {}
    cores = next((r.get("cores") for e in sizes.values() for r in e.get("no_change") or [] if r.get("cores")), None)
    if per_cluster is None or not one.get("seconds") or not cores:
        return None
    floor = clusters * per_cluster / cores
    allowed = goal * one["seconds"] * cores / clusters
    return {"per_cluster_busy_s": per_cluster, "cores": cores, "clusters": clusters, "floor_s": round(floor, 1),
            "floor_ratio": round(floor / one["seconds"], 1), "goal_busy_s": round(allowed, 2),
            "cut": round(per_cluster / allowed, 1) if allowed else None}


def _bound_lines(section):
    found = bound(section)
    if not found:
        return []
    return ["What the cores allow: a no-change run keeps the machine's %d cores busy (the table's last column), so its"
            " wall time follows the CPU it needs. Each cluster more costs %s s of busy CPU (the controller, its"
            " containers and dockerd together; least squares over the sizes). At that cost a run over %d clusters"
            " cannot take less than %s s on %d cores, %s times one cluster's run: the goal of 4 needs at most %s s of"
            " busy CPU per cluster more, %s times less than now." % (
                found["cores"], _f(found["per_cluster_busy_s"], 2), found["clusters"], _f(found["floor_s"]),
                found["cores"], _f(found["floor_ratio"]), _f(found["goal_busy_s"], 2), _f(found["cut"])), ""]


def _marginal_lines(section):
    marginal_ = section.get("marginal") or {}
    lines = []
    for kind, title in (("first", "first deploy"), ("no_change", "no-change run (median)")):
        wall = marginal_.get(kind + "_seconds") or {}
        cpu = marginal_.get(kind + "_cpu_s") or {}
        if wall.get("per_cluster") is None:
            continue
        lines.append("- %s: %s s of wall time and %s s of controller CPU per cluster more (least squares over the sizes"
                     " that ran; intercept %s s)." % (title, _f(wall["per_cluster"], 2), _f(cpu.get("per_cluster"), 2),
                                                      _f(wall.get("intercept"))))
    ratio = marginal_.get("no_change_ratio")
    if ratio:
        lines.append("- A no-change run over %d clusters took %s times one cluster's (goal: at most 4 over 20 clusters;"
                     " reported, not asserted)." % (ratio["clusters"], _f(ratio["ratio"], 2)))
    return lines or ["- One size only: no slope."]


def _where_lines(entry, record, title):
    lines = ["Where the time goes, %s of %s clusters (`%s`): the 10 tasks with the longest wall time (first start to"
             " last result; a name that runs more than once summed), and the host-seconds spent in them." % (
                 title, entry.get("clusters"), record.get("log")), "",
             "| task | wall (s) | host-seconds |", "|---|---|---|"]
    for name, wall, hosts in top_tasks(record):
        lines.append("| %s | %s | %s |" % (name.replace("|", "\\|"), _f(wall), _f(hosts)))
    kinds = host_kinds(record)
    if kinds:
        lines += ["", "Per host: %s." % "; ".join("%s (%d): median %s s in tasks, at most %s s" % (
            kind, k["hosts"], _f(k["median_s"]), _f(k["max_s"])) for kind, k in kinds.items())]
    return lines + [""]


def _growth_lines(small, large):
    clusters = large["clusters"] - small["clusters"]
    lines = ["Where one more cluster's time goes: the tasks whose wall time grows most from %d to %d clusters (median"
             " no-change runs), per cluster more." % (small["clusters"], large["clusters"]), "",
             "| task | wall, %d clusters (s) | wall, %d clusters (s) | per cluster more (s) |" % (small["clusters"], large["clusters"]),
             "|---|---|---|---|"]
    for name, before, after, per_cluster in task_growth(median_run(small), median_run(large), clusters):
        lines.append("| %s | %s | %s | %s |" % (name.replace("|", "\\|"), _f(before), _f(after), _f(per_cluster, 2)))
    return lines + [""]


def _variant_lines(entry, forks_default, requested=None):
    variants = entry.get("variants") or {}
    left_out = [name for name, dummy, dummy2 in VARIANTS if requested is not None and name not in requested]
    note = (["Not run this time (`--fleet-variants`): %s." % ", ".join(left_out), ""] if left_out else [])
    if not variants:
        return note
    base = (entry.get("no_change_median") or {}).get("seconds")
    lines = ["What Ansible's settings change: the no-change run over %s clusters with one setting changed (one run each;"
             " the baseline is the median above, %s s)." % (entry.get("clusters"), _f(base)), "",
             "| variant | what it changes | wall (s) | controller CPU (s) | wall / baseline | task results, all hosts (baseline %s)"
             " | changed |" % _f(task_results(median_run(entry))), "|---|---|---|---|---|---|---|"]
    for name, record in variants.items():
        what = record.get("what", "")
        forks = dict((n, e) for n, e, dummy in VARIANTS).get(name, {}).get("ANSIBLE_FORKS")
        if forks and (forks_default or 0) >= entry.get("containers", 0):
            what += "; here no more hosts than the default's workers, so nothing but noise"
        if record.get("fill"):
            what += " (filling run: %s s)" % _wall(record["fill"])
        lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            name, what, _wall(record), _f(record.get("cpu_s")),
            _f(record["seconds"] / base, 2) if base and record.get("seconds") else "-", _f(task_results(record)), _f(record.get("changed"))))
    return lines + [""] + note


def section(results):
    """Markdown lines of the fleet section (empty when it did not run)."""
    fleet = results.get("fleet")
    if not fleet:
        return []
    sizes = fleet.get("sizes") or {}
    lines = [
        "## Fleet: one more cluster, first deploy and no change",
        "",
        "`benchmarks/run.py --only fleet --fleet-sizes %s` (issue 30): for each size, that many generated clusters"
        % ",".join(str(n) for n in fleet.get("requested") or []),
        "(`benchmarks/fleet.py`: two load balancers in master_backup with one VIP and one web server each, keepalived from",
        "Debian's package, every other cluster's VRID left to the allocator, a generated VRRP password per cluster) on",
        "new containers on one docker network (`%s`, %s), `%s` as the first deploy, then %d no-change runs"
        % (fleet.get("network"), fleet.get("subnet"), fleet.get("playbook"), fleet.get("no_change_runs") or NO_CHANGE_RUNS),
        "(median). The docker connection, ansible.cfg's `forks = %s` and pipelining, the JSON stdout callback; collection `%s`."
        % (_f(fleet.get("forks")), fleet.get("collection")),
        "*Controller CPU*: user + system seconds of ansible-playbook and everything it waited for (workers, `docker",
        "exec`); dockerd and the containers are not in it. *Memory* of the fleet's containers after the first deploy, from",
        "their cgroups: usage less inactive page cache, as `docker stats` counts it (which reports 0 B for these systemd",
        "containers here), and the anonymous memory (RSS) alone. *Load*: the 1-minute load average before each run (the",
        "machine may be shared: a high one means other work shared the cores). *Containers' CPU*: what the fleet's",
        "containers used during the run (their cgroups: the modules' Python, systemd, nginx, keepalived); *cores busy*:",
        "the share of all cores' time that was not idle during the run (`/proc/stat`).",
        "",
    ] + _size_rows(fleet) + [""]
    if fleet.get("stopped"):
        lines += ["**Stopped at %s clusters**: %s." % (fleet["stopped"]["size"], fleet["stopped"]["reason"]), ""]
    if list(fleet.get("requested") or []) != list(SIZES):
        lines += ["This page measured %s clusters, not the default %s (`--fleet-sizes`)." % (
            ", ".join(sorted(sizes, key=int)) or "no", ", ".join(str(n) for n in SIZES)), ""]
    lines += ["One more cluster:", ""] + _marginal_lines(fleet) + [""] + _bound_lines(fleet)
    largest = max(sizes, key=int) if sizes else None
    smallest = min(sizes, key=int) if sizes else None
    if largest:
        entry = sizes[largest]
        if median_run(entry):
            lines += _where_lines(entry, median_run(entry), "the median no-change run")
        if smallest != largest and median_run(sizes[smallest]) and median_run(entry):
            lines += _growth_lines(sizes[smallest], entry)
        if entry.get("first") and entry["first"].get("task_seconds"):
            lines += _where_lines(entry, entry["first"], "the first deploy")
        lines += _variant_lines(entry, fleet.get("forks"), fleet.get("variants_requested"))
    return lines
