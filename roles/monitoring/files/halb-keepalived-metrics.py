# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write keepalived's VRRP state as Prometheus metrics for node_exporter's textfile collector.

Run by a systemd timer (halb-keepalived-metrics.timer). Asks keepalived for its JSON dump (the signal named by
``keepalived --signum=JSON``), reads it through /proc/<pid>/root (keepalived may run with a private /tmp),
reads the addresses this host holds (``ip -j addr``) and the notify FIFO state log, and replaces the metrics
file atomically (write a temporary file in the same directory, fsync, rename). The parsing and rendering are
the collection's module_utils (_keepalived_dump, _ip_json, _keepalived_metrics), installed next to this file.
When keepalived does not run, halb_keepalived_up is 0 and the configured VIPs are exported as not held.
"""

import argparse
import json
import os
import subprocess
import sys
import time

DUMP = "/tmp/keepalived.json"


def read(path):
    try:
        with open(path) as handle:
            return handle.read()
    except (IOError, OSError):
        return ""


def keepalived_pid(pid_file):
    text = read(pid_file).strip()
    if text.isdigit() and os.path.exists("/proc/%s" % text):
        return int(text)
    out = subprocess.run(["systemctl", "show", "-p", "MainPID", "--value", "keepalived"],
                         capture_output=True, text=True, check=False).stdout.strip()
    return int(out) if out.isdigit() and out != "0" else None


def json_dump(pid, timeout=5.0):
    """Signal keepalived for a JSON dump and return its text, or None when it cannot be had."""
    # The binary keepalived runs from (source build or package); /proc/<pid>/exe itself cannot be executed.
    exe = os.readlink("/proc/%d/exe" % pid)
    signum = subprocess.run([exe, "--signum=JSON"], capture_output=True, text=True, check=False).stdout.strip()
    if not signum.isdigit():
        return None
    path = os.path.join("/proc/%d/root" % pid, DUMP.lstrip("/"))

    def signature():
        try:
            st = os.stat(path)
            return (st.st_ino, st.st_mtime_ns, st.st_size)
        except OSError:
            return None

    before = signature()
    os.kill(pid, int(signum))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = signature()
        if now is not None and now != before and now[2] > 0:
            time.sleep(0.05)  # keepalived writes the file in one go; let it finish
            return read(path)
        time.sleep(0.05)
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lib", required=True, help="directory of the module_utils files")
    parser.add_argument("--output", required=True, help="metrics file (*.prom) in the textfile directory")
    parser.add_argument("--state-log", required=True, help="the notify FIFO state log")
    parser.add_argument("--instances", required=True, help="JSON file: instance name -> configured VIPs")
    parser.add_argument("--pid-file", default="/run/keepalived.pid")
    parser.add_argument("--acme-record", default="", help="the ACME certificates' record (certificates.json)")
    args = parser.parse_args()
    sys.path.insert(0, args.lib)
    import _ip_json
    import _keepalived_dump
    import _keepalived_metrics

    instances, up, last = [], False, {}
    pid = keepalived_pid(args.pid_file)
    if pid:
        text = json_dump(pid)
        if text:
            try:
                instances = _keepalived_dump.parse_json_dump(text)
                last = _keepalived_metrics.json_last_transitions(text)
                up = True
            except _keepalived_dump.DumpError as exc:
                print("keepalived's JSON dump cannot be parsed: %s" % exc, file=sys.stderr)
        else:
            print("keepalived (pid %d) wrote no JSON dump (built without --enable-json?)" % pid, file=sys.stderr)
    else:
        print("keepalived does not run", file=sys.stderr)
    configured = json.loads(read(args.instances) or "{}")
    instances = _keepalived_metrics.merge_configured(instances, configured)
    ip_out = subprocess.run(["ip", "-j", "addr", "show"], capture_output=True, text=True, check=True).stdout
    addresses = _ip_json.parse_ip_addr(ip_out)
    state_log = _keepalived_metrics.parse_state_log(read(args.state_log))
    text = _keepalived_metrics.render(instances, addresses, state_log, up, time.time(), last)
    if args.acme_record:
        text += _keepalived_metrics.render_certificates(read(args.acme_record))
    _keepalived_metrics.write_atomically(args.output, text)


if __name__ == "__main__":
    main()
