# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write docs/benchmarks.md and its PNG timelines (docs/benchmarks/<profile>-<drill>.png, matplotlib from
benchmarks/requirements.txt) from the results of benchmarks/run.py.

  python3 benchmarks/report.py [--results .cache/bench] [--report docs/benchmarks.md]
re-renders the report from .cache/bench/results.json without touching any lab.
"""

from __future__ import absolute_import, division, print_function

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import deploy as bench_deploy  # noqa: E402  (benchmarks/deploy.py: the deploy section)
import fleet as bench_fleet  # noqa: E402  (benchmarks/fleet.py: the fleet section)
import monitoring as bench_monitoring  # noqa: E402  (benchmarks/monitoring.py)
import operations as bench_operations  # noqa: E402  (benchmarks/operations.py)
import throughput  # noqa: E402  (benchmarks/throughput.py: the throughput section)

PROFILE_ORDER = ("standard", "fast", "nopreempt", "ipv6")

# What each drill does, what operators want (client-observed), and the VRRP arithmetic behind the bound.
DRILL_DOCS = {
    "graceful": ("`systemctl stop keepalived` on the master", "error window <= 1.1 s (fast: 0.3 s)",
                 "skew time (256-100)/256 x advert_int"),
    "crash": ("SIGKILL to keepalived on the master, its VRRP child first so nothing is sent (systemd restarts it after 1 s)",
              "error window <= 4.1 s (fast: 0.6 s)", "3 x advert_int + skew (master down interval)"),
    "vrrp_cut": ("drop IP protocol 112 on the master (iptables, both directions)",
                 "split brain detected and reported", "3 x advert_int + skew"),
    "nginx_restart": ("`systemctl kill -s SIGKILL nginx` on the master; systemd restarts it at once (Restart=on-failure, RestartSec 0)",
                      "error window <= 0.3 s (fast: 0.1 s)", "none (the VIP stays)"),
    "nginx_dead": ("nginx killed and unable to start on the master (runtime drop-in: missing binary); systemd's failed"
                   " restart writes the track file", "error window <= 1.1 s (fast: 0.3 s)",
                   "skew time after the failed restart (track_file, FAULT at once)"),
    "nginx_hung": ("`systemctl kill -s SIGSTOP nginx` on the master (the unit stays active); recovery SIGCONT",
                   "error window <= check interval x fall + graceful goal (5.1 s; fast 1.3 s)",
                   "check interval x fall + skew (HTTP check, FAULT)"),
    "backend_partition": ("iptables DROP on the master to every upstream server (VRRP unaffected)",
                          "error window <= 5.1 s (fast: 1.3 s)",
                          "backend check interval x fall + master down interval (weighted check: the backup"
                          " discards the lower-priority adverts)"),
    "backend_dead": ("`systemctl stop nginx` on the weight-2 web server", "0 failed GETs (proxy_next_upstream)",
                     "none (the VIP stays)"),
}

# Findings that explain a drill's numbers (kept with the code that measures them).
DRILL_NOTES = {
    "graceful": [
        "A request sent to the old master in the instant it drops the VIP gets no answer and ends at the probe's",
        "timeout, so one lost request already makes an error window as long as the timeout: 0.5 s with the",
        "standard profile, 0.1 s with the fast one (the fast goal of 0.3 s could not be seen through 0.5 s).",
        "",
    ],
    "nginx_dead": [
        "Where the time goes (standard profile, journals of both load balancers, 3 runs on the master_backup",
        "containers): the first failing check comes 0.9-2.3 s after the kill (the phase of the 2 s check; the",
        "script itself takes about 0.07 s, its start attempt fails at once), the second one 2.0-2.1 s later, and",
        "keepalived lowers the master's priority from 110 to 90. The master does not advertise that at once and",
        "the backup discards lower-priority adverts (\"received lower priority (90) advert - discarding\", RFC 3768",
        "with preemption): it waits for its master-down timer, counted from the last priority-110 advert. So the",
        "takeover comes 3.1-3.5 s after the priority drop (takeover 6.6-7.9 s, error window 6.1-6.8 s), not one",
        "skew time (0.61 s) after it as the bound assumes. With the check's `weight 0` (keepalived.conf edited",
        "by hand on the same containers) the master enters FAULT instead, sends a priority-0 advert, and the",
        "backup takes over one skew time later: 0.61-0.67 s after the second failure, takeover 3.8-4.6 s, error",
        "window 3.7-4.5 s (goal 5.1 s). The role's `keepalived_check_weight` now defaults to 0 for this reason;",
        "its cost: when nginx is dead on every load balancer, all of them are in FAULT and nobody holds the VIP",
        "(which could not have served anyway).",
        "",
    ],
    "nginx_hung": [
        "The check script's HTTP request (`keepalived_check_url`, `keepalived_check_http_timeout`) times out on the",
        "frozen nginx; after `fall` failures the master enters FAULT, sends a priority-0 advert and the backup takes",
        "over one skew time later. The unit stays `active` the whole time, so the check does not try to start it.",
        "",
    ],
    "backend_partition": [
        "The backend check is weighted (`keepalived_backend_check_weight`, not FAULT: when every backend is down",
        "everywhere nothing may move). After its `fall` failures the master advertises the lower priority, but a",
        "preempting backup discards lower-priority adverts (RFC 5798) and takes over only when its master-down",
        "timer (3 x advert_int + skew, counted from the last higher-priority advert) runs out: about 3.5 s of the",
        "standard profile's error window (measured: priority drop 2.2 s after the fault, takeover 3.5 s later).",
        "",
    ],
    "vrrp_cut": [
        "When the cut heals, lb1 never left MASTER; the role's `vrrp_garp_lower_prio_repeat` and",
        "`vrrp_garp_master_refresh` (gratuitous ARPs) bring clients that learnt lb2's MAC during the split back.",
        "",
    ],
}

FAST_PROFILE_NOTES = [
    "## The fast profile: what it buys and what it costs",
    "",
    "`keepalived_profile: fast` (inventory) selects VRRP version 3 with `advert_int 0.1`, a check every 1 s",
    "and `fall 1`. The VRRP bounds shrink tenfold (skew 0.061 s, master down interval 0.361 s) and a dead",
    "nginx is acted on after one failed check instead of two.",
    "",
    "- **No authentication.** VRRP version 3 has none; the role refuses `keepalived_auth_pass` with the fast",
    "  profile. Protect VRRP on the network instead (a dedicated VLAN, or nftables accepting protocol 112 only",
    "  from the other load balancers).",
    "- **False failovers on a busy host.** A backup declares the master dead after 3 x 0.1 s + skew = 0.36 s",
    "  without adverts. Any stall of that length on either host (CPU starvation, a noisy neighbour, a long",
    "  GC or swap pause, a congested or lossy link: 3 lost adverts in a row) moves the VIP, and with",
    "  preemption moves it back a moment later: two short client-visible blips instead of none. With the",
    "  standard profile the same stall has to last 3.6 s. `fall 1` likewise turns a single slow or failed check",
    "  (e.g. `systemctl` timing out under load) into a failover. Use the fast profile on dedicated, lightly",
    "  loaded load balancers; keep standard where the hosts are shared or overcommitted.",
    "- **More VRRP traffic.** 10 adverts/s per instance instead of 1 (tiny, but multiplied by instances).",
    "- **Event-driven process tracking is off here.** `keepalived_track_process_enabled` (keepalived's",
    "  `vrrp_track_process`, which notices nginx's death at once instead of at the next check) relies on the",
    "  kernel's proc connector, which reports process events only to the initial PID namespace. In a",
    "  container keepalived logs `Failed to set/clear process event listen - errno 111` and the instance stays",
    "  demoted, so the role refuses it on such hosts and this lab (containers) measures the fast profile",
    "  without it: nginx's death is still found by the 1 s check. On hosts in the initial PID namespace it can",
    "  be enabled.",
]


def machine_info():
    try:
        cpu = [line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")]
    except OSError:
        cpu = []
    try:
        docker = subprocess.check_output(["docker", "version", "--format", "{{.Server.Version}}"],
                                         universal_newlines=True, stderr=subprocess.DEVNULL).strip()
    except (OSError, subprocess.CalledProcessError):
        docker = "unknown"
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "cpu_model": cpu[0] if cpu else platform.processor() or "unknown",
        "kernel": platform.release(),
        "docker": docker,
        "loadavg": [round(x, 2) for x in os.getloadavg()],
    }


def _fmt(value, unit=""):
    if value is None or value == "":
        return "-"
    if isinstance(value, float):
        return ("%.3f" % value).rstrip("0").rstrip(".") + unit
    return "%s%s" % (value, unit)


def _ratio(measured, bound):
    try:
        if measured is None or bound in (None, "", 0):
            return "-"
        return "%.2f" % (float(measured) / float(bound))
    except (TypeError, ValueError):
        return "-"


# Colours of the timelines: one hue per load balancer, light/dark per backend; failures red.
LB_COLOURS = {"lb1": ("#9ecae1", "#2171b5"), "lb2": ("#fdae6b", "#d94801"), "lb3": ("#a1d99b", "#238b45")}


def _lane_colour(lb, backend, backends):
    light, dark = LB_COLOURS.get(lb, ("#bdbdbd", "#525252"))
    return dark if backends.index(backend) % 2 else light


def plot_timeline(info, recs, title, path):
    """One drill as a PNG: every request as a tick in the lane of the load balancer and backend that served
    it (failures in a red lane, labelled by reason), latency below; fault, takeover and recovery marked."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t0 = info["t_fault"]
    served = [r for r in recs if "error" not in r]
    failed = [r for r in recs if "error" in r]
    backends = sorted({r.get("backend", "") for r in served})
    lanes = sorted({(r.get("lb", "none"), r.get("backend", "")) for r in served})
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 4.6), sharex=True,
                                      gridspec_kw={"height_ratios": [1.5, 1]})
    for index, (lb, backend) in enumerate(lanes):
        xs = [r["t"] - t0 for r in served if (r.get("lb", "none"), r.get("backend", "")) == (lb, backend)]
        colour = _lane_colour(lb, backend, backends)
        top.scatter(xs, [index] * len(xs), s=30, marker="|", color=colour)
        lat = [(r["t"] - t0, r["ms"]) for r in served if (r.get("lb", "none"), r.get("backend", "")) == (lb, backend)]
        bottom.scatter([x for x, y in lat], [y for x, y in lat], s=3, color=colour, label="%s -> %s" % (lb, backend))
    labels = ["%s -> %s" % lane for lane in lanes]
    if failed:
        reasons = sorted({r["error"].split(":")[0] for r in failed})
        labels.append("failed (%s)" % ", ".join(reasons))
        top.scatter([r["t"] - t0 for r in failed], [len(lanes)] * len(failed), s=30, marker="|", color="red")
        bottom.scatter([r["t"] - t0 for r in failed], [r["ms"] for r in failed], s=14, marker="x", color="red",
                       label="failed", zorder=3)
    top.set_yticks(range(len(labels)))
    top.set_yticklabels(labels, fontsize=8)
    top.set_ylim(-0.7, len(labels) - 0.3)
    marks = [(0.0, "black", "--", "fault")]
    if info.get("takeover_s") is not None:
        marks.append((info["takeover_s"], "#d94801", ":", "backup MASTER"))
    marks.append((info["t_recover"] - t0, "green", "--", "recovery"))
    if info.get("master_back_s") is not None:
        marks.append((info["t_recover"] - t0 + info["master_back_s"], "#2171b5", ":", "master back"))
    for ax in (top, bottom):
        for x, colour, style, dummy in marks:
            ax.axvline(x, color=colour, lw=1, ls=style)
        if failed and info.get("error_window_s"):
            first = min(r["t"] for r in failed if r["t"] >= t0) - t0 if any(r["t"] >= t0 for r in failed) else None
            if first is not None:
                ax.axvspan(first, first + info["error_window_s"], color="red", alpha=0.08)
    for x, colour, dummy, label in marks:
        top.annotate(label, (x, 1.0), xycoords=("data", "axes fraction"), fontsize=7, color=colour,
                     rotation=90, ha="right", va="top")
    bottom.set_yscale("log")
    bottom.set_ylabel("request ms", fontsize=8)
    bottom.set_xlabel("seconds since the fault (shaded: client error window)", fontsize=8)
    bottom.legend(fontsize=7, markerscale=3, loc="upper right", ncol=3)
    top.set_title(title, fontsize=10)
    top.grid(axis="x", alpha=0.3)
    bottom.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def plot_timelines(results, results_dir, out_dir):
    """PNG per profile and drill (<out_dir>/<profile>-<drill>.png); {} without matplotlib."""
    try:
        import matplotlib  # noqa: F401  (benchmarks/requirements.txt)
    except ImportError:
        print("    matplotlib is missing (pip install -r benchmarks/requirements.txt): no PNG timelines")
        return {}
    pngs = {}
    os.makedirs(out_dir, exist_ok=True)
    for profile, presults in sorted(results.get("profiles", {}).items()):
        for name, info in presults.get("drills", {}).items():
            log = os.path.join(info.get("probe_dir") or os.path.join(results_dir, "drills", profile), name + ".probe.jsonl")
            if "t_fault" not in info or not os.path.exists(log):
                continue
            with open(log) as f:
                recs = [json.loads(line) for line in f if line.strip()]
            if not recs:
                continue
            title = "%s, %s profile: backup MASTER after %s s, %s of %s requests failed, error window %s s" % (
                name, profile, _fmt(info.get("takeover_s")) if info.get("takeover_s") is not None else "- (no takeover)",
                info.get("failed"), info.get("requests"), _fmt(info.get("error_window_s")))
            pngs[(profile, name)] = plot_timeline(info, recs, title,
                                                  os.path.join(out_dir, "%s-%s.png" % (profile, name)))
    return pngs


def _summary_rows(results):
    rows = []
    for name in DRILL_DOCS:
        for profile in PROFILE_ORDER:
            d = results.get("profiles", {}).get(profile, {}).get("drills", {}).get(name)
            if not d or "requests" not in d:
                continue
            goal = d.get("goal_error_window_s")
            rows.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s of %s |" % (
                name, profile,
                _fmt(d.get("takeover_s")) if d.get("takeover_s") is not None else "no takeover",
                _fmt(d.get("vrrp_bound_s")), _ratio(d.get("takeover_s"), d.get("vrrp_bound_s")),
                _fmt(d.get("error_window_s")),
                "<= " + _fmt(goal) if goal is not None else ("0 failed" if d.get("goal_failed") == 0 else "-"),
                _ratio(d.get("error_window_s"), goal), _fmt(d.get("failed")), _fmt(d.get("requests"))))
    return rows


def _drill_section(name, results, pngs, report_path):
    what, goal, bound_text = DRILL_DOCS[name]
    lines = ["### %s" % name, "", "Fault: %s. Goal: %s. VRRP bound: %s." % (what, goal, bound_text), ""]
    for profile in PROFILE_ORDER:
        presults = results.get("profiles", {}).get(profile)
        if presults is None:
            continue
        d = presults.get("drills", {}).get(name)
        if not d:
            # A profile that drills a subset (nopreempt, ipv6) says nothing about the others; the runs list names them.
            if presults.get("error"):
                lines += ["- %s profile: not run (%s)." % (profile, presults["error"])]
            continue
        if "requests" not in d:
            lines += ["- %s profile: not measured: the drill stopped before its fault (rc %s, %s s; usually the health"
                      " check before the drill failed), see `.cache/bench/drill-%s-%s.log`."
                      % (profile, d.get("rc"), _fmt(d.get("seconds")), profile, name)]
            continue
        extra = ""
        if d.get("split_brain_reported"):
            extra = "; split brain reported: \"%s\"" % d["split_brain_reported"].split(";")[0].strip()
        elif name == "vrrp_cut":
            extra = "; split brain **not** reported"
        if d.get("dead_backend_reported"):
            extra = "; weights check: \"%s\"" % " ".join(d["dead_backend_reported"].split())
        if d.get("nopreempt"):
            back = "the VIP stays on %s (nopreempt)" % d.get("return_holder")
        else:
            back = "master MASTER again after %s s" % _fmt(d.get("master_back_s"))
        lines.append("- %s profile: failed requests %s %s; served during the fault by `%s`; recovery: %s,"
                     " %s failed; state changes from %s; drill rc %s, %s s%s." % (
                         profile, _fmt(d.get("failed")), json.dumps(d.get("error_reasons") or {}),
                         json.dumps(d.get("load_balancers_during_fault") or {}), back,
                         _fmt(d.get("recovery_failed")), d.get("transitions_from", "the journal"), d.get("rc"),
                         _fmt(d.get("seconds")), extra))
    lines.append("")
    for profile in PROFILE_ORDER:
        if (profile, name) in pngs:
            png = os.path.relpath(pngs[(profile, name)], os.path.dirname(report_path))
            lines += ["![%s, %s profile](%s)" % (name, profile, png), ""]
    lines += DRILL_NOTES.get(name, [])
    return lines


def _runs_lines(results):
    """How long the run took, or, for a page assembled from several runs, what each measured and when."""
    if not results.get("runs"):
        return ["- `make bench` took %s s in total (lab up, deploys, drills of all three, throughput, lab down)."
                % _fmt(results.get("steps", {}).get("total_seconds"))]
    lines = ["- Assembled from %d runs of `benchmarks/run.py` (`benchmarks/report.py --results DIR ...`) on the same"
             % len(results["runs"]), "  lab, one bench run at a time (the load average at each start says how busy the machine was):"]
    for run in results["runs"]:
        meta = run["meta"]
        lines.append("  - %s: %s (%s s; load average at its start %s)" % (
            meta.get("date", "-"), ", ".join(run["parts"]) or "nothing", _fmt(run.get("seconds")),
            ", ".join(str(x) for x in meta.get("loadavg") or []) or "not recorded"))
    return lines


def _machine_line(meta, with_load=True):
    """The page's line about the machine, with the load average when the run started."""
    load = "; load average (1, 5, 15 min) when the run started: %s" % (
        ", ".join(str(x) for x in meta["loadavg"]) if meta.get("loadavg") else "not recorded") if with_load else ""
    return "- Machine: %s CPUs (%s)%s; kernel %s; docker %s" % (
        meta.get("cpus", "-"), meta.get("cpu_model", "-"), load, meta.get("kernel", "-"), meta.get("docker", "-"))


def _page(title, generated, meta, with_load, body):
    """A page of one section: its title, how it was generated, the machine, then ``body`` (lines)."""
    lines = ["# " + title, ""] + generated + [
        "Single measurements on a noisy machine: read them as orders of magnitude. Nothing asserts them.", ""]
    if with_load:
        lines.append("- Date: %s" % meta.get("date", "-"))
    lines += [_machine_line(meta, with_load)] + body
    return "\n".join(lines).rstrip("\n") + "\n"


def render(results, pngs, report_path):
    meta = results.get("meta", {})
    lines = [
        "# Benchmarks: failure drills, deploy time, throughput",
        "",
        "Generated by `make bench` (`benchmarks/run.py`); do not edit by hand. Numbers are single measurements",
        "on a noisy machine: read them as orders of magnitude, not as guarantees. Nothing asserts them.",
        "",
        "- Date: %s" % meta.get("date", "-"),
        _machine_line(meta),
        "- Lab: `inventories/bench` (docker network `halb-bench`, 198.18.74.0/24): client, lb1 (master, priority 110),",
        "  lb2 (backup, priority 100), web1 (weight 1), web2 (weight 2); keepalived 2.2.7 built from source.",
        "- Profiles (`keepalived_profile`): **standard** (VRRP version 2, advert_int 1 s, check interval 2 s, fall 2,",
        "  rise 2, PASS authentication) and **fast** (VRRP version 3, advert_int 0.1 s, check interval 1 s, fall 1,",
        "  no authentication: VRRPv3 has none). The fast profile is a second deploy of the same lab; a third,",
        "  **nopreempt** (standard with `keepalived_nopreempt: true`), drills graceful again to compare the",
        "  old master's return: with preemption it takes the VIP back (and clients see a second handover),",
        "  with nopreempt the VIP stays on the backup. The fourth, **ipv6**, deploys a dual-stack VIP pair",
        "  (198.18.74.183 and 2001:2:0:74::183, one instance per family, the IPv6 one on VRRP version 3, by unicast)",
        "  and drills graceful and crash with the probe on the IPv6 VIP.",
    ] + _runs_lines(results) + [
        "- Deploys over many clusters (1 to 20, on a lab of their own): [benchmarks-fleet.md](benchmarks-fleet.md)",
        "  (`benchmarks/run.py --only fleet`, a page of its own).",
        "",
        "## Failure drills",
        "",
        "`playbooks/drill.yml` runs a probe on the client (`roles/drill/files/halb_probe.py`: a GET through the VIP",
        "every 20 ms, new connection each, 0.5 s timeout; 0.1 s with the fast profile), waits for a steady baseline, injects the fault, waits",
        "(bounded) for its effect, recovers, and checks the cluster with `playbooks/verify.yml`. *Backup MASTER",
        "after* is the time from the fault to the backup's MASTER transition (keepalived's notify FIFO log",
        "`/var/log/halb-keepalived/state.log` when the role keeps one, else the journal's `Entering MASTER STATE`);",
        "the *error window* runs from the first failed request of the fault phase to the end of the last.",
        "The drill reads the timers from the keepalived.conf each load balancer runs.",
        "",
        "VRRP bounds (backup priority 100): skew = (256 - 100)/256 x advert_int; master down interval =",
        "3 x advert_int + skew. Standard: skew 0.61 s, master down 3.61 s. Fast: skew 0.061 s, master down 0.361 s.",
        "Client-side goals: standard graceful <= 1.1 s, crash <= 4.1 s; fast graceful <= 0.3 s, crash <= 0.6 s;",
        "nginx killed and restarted by systemd <= 0.3 s (fast 0.1 s); nginx dead (its restart fails: track file) <= the",
        "graceful goal; nginx hung and backend partition <= check interval x fall + the graceful goal (standard",
        "2 x 2 + 1.1 = 5.1 s, fast 1 x 1 + 0.3 = 1.3 s); backend death: 0 failed GETs.",
        "",
        "| drill | profile | backup MASTER after (s) | VRRP bound (s) | measured / bound "
        "| client error window (s) | goal (s) | measured / goal | failed requests |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    lines += _summary_rows(results) or ["| - | - | not measured in this run | | | | | | |"]
    lines += ["", "Timelines (PNG, one per drill and profile): every request is a tick in the lane of the load",
              "balancer and backend that served it, failures in the red lane; latency below. Dashed black: the",
              "fault; dotted orange: the backup enters MASTER; dashed green: recovery starts; dotted blue: the",
              "master is MASTER again.", ""]
    for name in DRILL_DOCS:
        lines += _drill_section(name, results, pngs, report_path)

    deploy = results.get("deploy", {})
    lines += ["## Deploy time", ""]
    if deploy:
        lines.append("| run | wall time (s) | keepalived build per LB (configure + make + install, s) | changed tasks per host |")
        lines.append("|---|---|---|---|")
        titles = {"first": "first (source build)", "second": "second (no change)",
                  "fast": "switch to keepalived_profile=fast"}
        for run in ("first", "second", "fast"):
            if run not in deploy:
                continue
            r = deploy[run]
            lines.append("| %s | %s | %s | %s |" % (
                titles[run], _fmt(r.get("seconds")) + (" (**failed**, rc %s)" % r["rc"] if r.get("rc") else ""),
                ", ".join("%s %s" % (h, _fmt(s)) for h, s in sorted(r.get("build_s", {}).items())) or "-",
                ", ".join("%s %s" % (h, c) for h, c in sorted(r.get("changed", {}).items())) or "-"))
        lines.append("")
        lines.append("Both load balancers build in parallel on the same 2 shared cores (`make -j2` each).")
    else:
        lines.append("Not measured in this run.")
    lines.append("")
    lines += bench_deploy.section(results)

    lines += ["## Throughput: nginx_lb against HAProxy", ""] + throughput.section(results.get("throughput"))
    lines += [""] + bench_monitoring.section(results)
    lines += bench_operations.section(results)
    lines += FAST_PROFILE_NOTES + [
        "",
        "## Re-running",
        "",
        "```console",
        "make bench                        # lab up, deploy x2, drills, throughput, fast profile drills, report, lab down",
        "python3 benchmarks/run.py --profiles fast --drills graceful,crash --keep-lab   # a subset",
        "python3 benchmarks/run.py --only operations   # the operations tables alone (deploy once, untimed)",
        "python3 benchmarks/run.py --only operations --operations dual_master_fast   # one configuration's",
        "python3 benchmarks/run.py --only deploy --profiles standard   # the deploy section, docker and SSH (--connections ssh)",
        "python3 benchmarks/run.py --only deploy --profiles standard --collections /tmp/before/.build/collections --results .cache/bench-before",
        "python3 benchmarks/report.py --results .cache/bench-before --results .cache/bench   # before and after",
        "python3 benchmarks/run.py --only fleet --results .cache/bench-fleet   # 1 to 20 clusters: docs/benchmarks-fleet.md",
        "python3 benchmarks/report.py      # re-render this page and its PNGs from .cache/bench/results.json",
        "python3 benchmarks/report.py --results DIR1 --results DIR2   # one page from several runs (later ones win)",
        "ansible-playbook -i inventories/lab playbooks/drill.yml -e drill_name=graceful   # one drill, demo lab",
        "```",
        "",
        "Raw results: `.cache/bench/results.json`, per profile and drill `.cache/bench/drills/<profile>/<drill>.json`",
        "and the probe log `<drill>.probe.jsonl` (one JSON line per request). Against a real cluster `playbooks/drill.yml`",
        "refuses to run without `-e drill_confirm=true` (labs set `drill_lab: true` in their inventory).",
        "",
    ]
    return "\n".join(lines)


def render_deploy(results):
    """A page of the deploy section alone (--only deploy): docs/benchmarks-deploy.md, before and after a change."""
    generated = ["Generated by `benchmarks/report.py --only deploy` from `benchmarks/run.py --only deploy` runs; do not edit by hand."]
    body = _runs_lines(results) + [""] + bench_deploy.section(results)
    return _page("Benchmarks: the deploy, over docker and SSH, before and after", generated, results.get("meta", {}), False, body)


def render_fleet(results):
    """The fleet section's own page (step fleet): docs/benchmarks-fleet.md."""
    generated = ["Generated by `benchmarks/run.py --only fleet` (or `benchmarks/report.py --only fleet`); do not edit by hand."]
    body = [""] + bench_fleet.section(results) + [
        "## Re-running",
        "",
        "```console",
        "python3 benchmarks/run.py --only fleet --results .cache/bench-fleet   # 1, 5, 10 and 20 clusters (an idle machine)",
        "python3 benchmarks/run.py --only fleet --fleet-sizes 1,2 --results .cache/bench-fleet   # the machinery, minutes",
        "python3 benchmarks/run.py --only fleet --fleet-variants 'strategy free' --results .cache/bench-fleet   # one variant",
        "python3 benchmarks/report.py --only fleet --results .cache/bench-fleet   # re-render this page",
        "```",
        "",
        "Raw results: `.cache/bench-fleet/results.json`; per size `.cache/bench-fleet/fleet/n<N>/`: the generated",
        "inventory (with its VRRP passwords: never commit it), each run's JSON output and its `.counts.json` (tasks,",
        "round trips and commands per host, seconds per task and per host).",
    ]
    return _page("Benchmarks: a fleet of clusters, from one to many", generated, results.get("meta", {}), True, body)


def write(results, results_dir, report_path, only=None):
    if only in ("deploy", "fleet"):
        with open(report_path, "w") as f:
            f.write(render_fleet(results) if only == "fleet" else render_deploy(results))
        return report_path
    pngs = plot_timelines(results, results_dir, os.path.join(os.path.dirname(report_path), "benchmarks"))
    text = render(results, pngs, report_path)
    with open(report_path, "w") as f:
        f.write(text)
    return report_path


def merge_throughput(earlier, later):
    """The throughput results of two runs: a step the later run measured replaces the earlier run's step (its
    wrk runs too); the earlier run's other steps stay, in the ladder's order."""
    if not earlier:
        return later
    redone = set(step["name"] for step in later.get("steps", []))
    steps = list(earlier.get("steps", []))
    # A step replaces its namesake in place; a new one goes before the next step the later run measured
    # (the ladder's order: "defaults" stays last).
    anchor = len(steps)
    for step in reversed(later.get("steps", [])):
        names = [s["name"] for s in steps]
        if step["name"] in names:
            anchor = names.index(step["name"])
            steps[anchor] = step
        else:
            steps.insert(anchor, step)
    runs = [r for r in earlier.get("runs", []) if r.get("step") not in redone] + later.get("runs", [])
    return dict(later, steps=steps, runs=runs)


def merge(runs):
    """One results dict from several runs' results (later runs' sections win), with each run's metadata kept.

    ``runs`` is [(results_dir, results)]; a later run's drill replaces the same drill of an earlier one. The
    drills' probe logs stay in their own run's directory (``probe_dir`` per drill), so each PNG timeline is
    drawn from the run that measured it.
    """
    merged = {"profiles": {}, "steps": {}, "runs": []}
    for results_dir, results in runs:
        parts = [key for key in ("deploy", "throughput", "monitoring") if results.get(key)]
        if results.get("deploy_section"):
            parts.append("deploy section of %s (%s)" % (results["deploy_section"]["label"],
                                                        ", ".join(results["deploy_section"].get("connections") or {})))
            bench_deploy.merge(merged, results)
        if results.get("operations"):
            parts.append("operations (%s)" % ", ".join(results["operations"]))
        if results.get("fleet"):
            # The whole section: its sizes are measured one after the other on the same machine, so they stay together.
            parts.append("fleet (%s clusters)" % ", ".join(sorted(results["fleet"].get("sizes") or {}, key=int)))
            merged["fleet"] = results["fleet"]
        for profile, presults in sorted((results.get("profiles") or {}).items()):
            drills = presults.get("drills") or {}
            if drills:
                target = merged["profiles"].setdefault(profile, {})
                target.update((k, v) for k, v in presults.items() if k != "drills")
                target.setdefault("drills", {}).update(
                    (name, dict(info, probe_dir=os.path.join(results_dir, "drills", profile)))
                    for name, info in drills.items())
                parts.append("%s (%s)" % ("%d drills" % len(drills) if len(drills) > 3 else "drills " + ", ".join(drills),
                                          profile))
        if results.get("deploy"):
            # Per deploy run (first, second, fast, nopreempt): a later run's replaces the same of an earlier one.
            merged.setdefault("deploy", {}).update(results["deploy"])
        if results.get("monitoring"):
            merged["monitoring"] = results["monitoring"]
        if results.get("operations"):
            # Per configuration (standard, dual_master_fast): a later run's replaces the same of an earlier one.
            merged.setdefault("operations", {}).update(results["operations"])
        if results.get("throughput"):
            merged["throughput"] = merge_throughput(merged.get("throughput"), results["throughput"])
        merged["meta"] = merged.get("meta") or results.get("meta", {})
        merged["runs"].append({"meta": results.get("meta", {}), "parts": parts,
                               "seconds": (results.get("steps") or {}).get("total_seconds")})
    if len(runs) == 1:
        merged["steps"] = runs[0][1].get("steps", {})
        del merged["runs"]
    return merged


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", action="append",
                        help="a results directory (default .cache/bench); several: one page from several runs, "
                             "later runs' sections (deploy, drills per profile, throughput, monitoring, operations) win")
    parser.add_argument("--report", help="default docs/benchmarks.md, with --only deploy docs/benchmarks-deploy.md,"
                                         " with --only fleet docs/benchmarks-fleet.md")
    parser.add_argument("--only", choices=["deploy", "fleet"], help="a page of this section alone")
    args = parser.parse_args(argv)
    report_path = args.report or os.path.join(ROOT, "docs", "benchmarks-%s.md" % args.only if args.only else "benchmarks.md")
    runs = []
    for results_dir in args.results or [os.path.join(ROOT, ".cache", "bench")]:
        with open(os.path.join(results_dir, "results.json")) as f:
            runs.append((results_dir, json.load(f)))
    print(write(merge(runs), runs[-1][0], report_path, args.only))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
