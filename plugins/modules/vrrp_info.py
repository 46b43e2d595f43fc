#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: vrrp_info
short_description: Report keepalived's VRRP instances and the virtual IPs this host holds
version_added: 1.0.0
description:
  - Runs on a load balancer. Reports whether keepalived runs, its version, and for every VRRP
    instance its state (C(MASTER), C(BACKUP), C(FAULT), ...) and effective priority, read from
    keepalived's own state dump.
  - The dump is requested by sending the signal named by C(keepalived --signum=JSON) (when the
    build supports JSON, that is was configured with C(--enable-json)) or C(keepalived --signum=DATA)
    to the keepalived main process, then reading the file keepalived rewrites
    (O(json_file) or O(data_file)). The module waits up to O(timeout) seconds for the file's
    modification time to change.
  - When keepalived runs with a private C(/tmp) (systemd C(PrivateTmp=)), the file is read through
    C(/proc/<pid>/root).
  - Reports the virtual IPs this host holds, with interface and prefix, from C(ip -j addr).
  - Never changes anything. Asking keepalived for a dump only rewrites its dump file.
author:
  - halb maintainers (@halb)
options:
  vips:
    description:
      - Addresses to look for on this host, with or without a prefix (C(198.18.70.183/24)).
      - Default is every address named by a VRRP instance in keepalived's dump, or, when keepalived
        does not run and O(require_running=false), every global address that is not the first
        (primary) address of its family on its interface.
    type: list
    elements: str
  keepalived_bin:
    description:
      - Path to the keepalived binary. When it does not exist, C(keepalived) is looked up in
        E(PATH), C(/usr/sbin) and C(/usr/local/sbin).
      - While keepalived runs, its own executable (C(/proc/<pid>/exe)) is used instead, so that the dump signal
        and the version are the running daemon's, also half way through a change of install method or version.
    type: path
    default: /data/apps/keepalived/sbin/keepalived
  pid_file:
    description:
      - keepalived's main process pid file. When it names no live process, the pid is asked from
        systemd (C(systemctl show -p MainPID) O(service_name)).
    type: path
    default: /run/keepalived.pid
  service_name:
    description: systemd unit asked for the main pid when O(pid_file) names no live process.
    type: str
    default: keepalived
  dump_format:
    description:
      - Which dump to request. V(auto) uses JSON when C(keepalived --signum=JSON) answers, else the
        text dump.
    type: str
    choices: [auto, json, data]
    default: auto
  data_file:
    description: File keepalived writes its text dump to.
    type: path
    default: /tmp/keepalived.data
  json_file:
    description: File keepalived writes its JSON dump to.
    type: path
    default: /tmp/keepalived.json
  timeout:
    description: Seconds to wait for keepalived to rewrite the dump file after the signal.
    type: float
    default: 5.0
  require_running:
    description:
      - Fail when keepalived does not run. With V(false), report RV(keepalived.running=false), no
        instances, and the addresses found by O(vips) or the default rule.
    type: bool
    default: true
  drain_file:
    description:
      - The drain switch read by keepalived (C(track_file halb_drain)); its content is returned as RV(drain), so that
        one call per member reads its whole live state.
    type: path
    version_added: 1.1.0
notes:
  - Needs root (or the right to signal keepalived and read its dump file).
  - Supports check mode; the dump is requested in check mode too, as it changes nothing.
  - Checked against keepalived 2.2.7 and 2.3.3 (text and JSON dumps).
seealso:
  - module: halb.nginx_keepalived.vip_owner
extends_documentation_fragment:
  - halb.nginx_keepalived.read_only
"""

EXAMPLES = r"""
- name: Read the VRRP state of this load balancer
  halb.nginx_keepalived.vrrp_info:
  become: true
  register: vrrp

- name: Look for the VIPs of the inventory, from Debian's packaged keepalived
  halb.nginx_keepalived.vrrp_info:
    keepalived_bin: /usr/sbin/keepalived
    vips:
      - 198.18.70.183/24
  become: true
  register: vrrp

- name: Report a stopped keepalived instead of failing
  halb.nginx_keepalived.vrrp_info:
    require_running: false
  become: true
  register: vrrp
"""

RETURN = r"""
hostname:
  description: This host's name (C(socket.gethostname())).
  returned: always
  type: str
  sample: lb1
keepalived:
  description: keepalived process and dump details.
  returned: always
  type: dict
  contains:
    running:
      description: Whether the keepalived main process runs.
      type: bool
      sample: true
    pid:
      description: Main process id, or null.
      type: int
      sample: 1234
    binary:
      description: keepalived binary used (C(/proc/<pid>/exe) while it runs), or null when none was found.
      type: str
      sample: /proc/1234/exe
    version:
      description: Version from C(keepalived -v), or null.
      type: str
      sample: 2.2.7
    dump_format:
      description: C(json) or C(data), or null when no dump was read.
      type: str
      sample: json
    dump_file:
      description: File the dump was read from.
      type: str
      sample: /proc/1234/root/tmp/keepalived.json
instances:
  description: VRRP instances from the dump.
  returned: always
  type: list
  elements: dict
  sample:
    - name: VI_1
      state: MASTER
      wantstate: MASTER
      interface: eth0
      mac: "02:42:c6:13:c9:0b"
      virtual_router_id: 51
      base_priority: 150
      effective_priority: 150
      master_router: null
      master_priority: null
      vrrp_version: 2
      advert_int: 1.0
      nopreempt: false
      vips:
        - {address: 198.18.70.183, prefix: 24, interface: eth0, set: true}
scripts:
  description:
    - VRRP scripts with their timers in seconds (C(interval)), C(fall), C(rise) and C(weight).
    - Only the text dump lists them; empty with RV(keepalived.dump_format=json).
  returned: always
  type: list
  elements: dict
  sample:
    - {name: chk_nginx, interval: 2.0, fall: 2, rise: 2, weight: 0}
vips:
  description: VIPs this host holds (found in C(ip -j addr)).
  returned: always
  type: list
  elements: dict
  sample:
    - {address: 198.18.70.183, prefix: 24, interface: eth0, mac: "02:42:c6:13:c9:0b", instance: VI_1}
vips_not_held:
  description: Addresses looked for (O(vips) or the instances' VIPs) that this host does not hold.
  returned: always
  type: list
  elements: str
  sample: [198.18.70.184]
drain:
  description: The content of O(drain_file), stripped; empty when the file does not exist.
  returned: when O(drain_file) is given
  type: str
  sample: "0"
"""

import os
import socket
import stat
import time

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_native

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._keepalived_dump import (
    DumpError,
    instance_vip_addresses,
    parse_data_scripts,
    parse_dump,
    parse_signum,
    parse_version,
)
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._ip_json import (
    IpOutputError,
    extra_global_addresses,
    find_addresses,
    interface_macs,
    parse_ip_addr,
    split_address,
)

SBIN_DIRS = ["/usr/sbin", "/sbin", "/usr/local/sbin"]


def pid_alive(pid):
    if not pid or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def find_binary(module):
    path = module.params["keepalived_bin"]
    if path and os.path.isfile(path) and os.access(path, os.X_OK):
        return path
    return module.get_bin_path("keepalived", opt_dirs=SBIN_DIRS)


def running_binary(pid):
    """The running daemon's own executable: its signal numbers are the ones that matter, also when the installed
    binary is another one or gone (half way through an install method or version change)."""
    path = "/proc/%d/exe" % pid
    return path if os.access(path, os.X_OK) else None


def find_pid(module):
    """Return (pid or None, how it was looked for)."""
    tried = []
    pid_file = module.params["pid_file"]
    try:
        with open(pid_file) as handle:
            text = handle.read().strip()
        pid = int(text) if text.isdigit() else None
        if pid_alive(pid):
            return pid, "pid file %s" % pid_file
        tried.append("pid file %s names no live process (%r)" % (pid_file, text))
    except (IOError, OSError) as exc:
        tried.append("pid file %s unreadable (%s)" % (pid_file, exc.strerror or exc))
    systemctl = module.get_bin_path("systemctl")
    if systemctl:
        rc, out, err = module.run_command([systemctl, "show", "-p", "MainPID", module.params["service_name"]])
        value = out.strip().partition("=")[2] if rc == 0 else ""
        if value.isdigit() and pid_alive(int(value)):
            return int(value), "systemd unit %s" % module.params["service_name"]
        tried.append("systemd reports MainPID=%s for %s" % (value or "?", module.params["service_name"]))
    else:
        tried.append("no systemctl to ask")
    return None, "; ".join(tried)


def resolve_dump_path(pid, path):
    """Read through /proc/<pid>/root so that a private /tmp (PrivateTmp=) is seen as keepalived sees it."""
    proc_root = "/proc/%d/root" % pid
    candidate = os.path.join(proc_root, path.lstrip("/"))
    try:
        os.stat(os.path.join(proc_root, os.path.dirname(path).lstrip("/")))
        return candidate
    except OSError:
        return path


def file_signature(path):
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def request_dump(module, pid, signum, path, dump_format):
    """Signal keepalived, wait for ``path`` to be rewritten, parse it. Returns (instances, scripts)."""
    timeout = module.params["timeout"]
    before = file_signature(path)
    try:
        os.kill(pid, signum)
    except OSError as exc:
        module.fail_json(msg="Cannot send signal %d to keepalived (pid %d) to request its %s dump: %s"
                         % (signum, pid, dump_format, to_native(exc)))
    deadline = time.monotonic() + timeout
    last_error = None
    last_size = None
    while True:
        now_sig = file_signature(path)
        rewritten = now_sig is not None and (before is None or now_sig[:2] != before[:2])
        if rewritten and now_sig[2] == last_size:
            try:
                with open(path, "rb") as handle:
                    text = handle.read().decode("utf-8", "replace")
                scripts = parse_data_scripts(text) if dump_format == "data" else []
                return parse_dump(text, dump_format), scripts
            except (IOError, OSError) as exc:
                last_error = "cannot read %s: %s" % (path, to_native(exc))
            except DumpError as exc:
                last_error = "cannot parse %s: %s" % (path, to_native(exc))
        last_size = now_sig[2] if rewritten else None
        if time.monotonic() >= deadline:
            break
        time.sleep(0.1)
    if last_error:
        module.fail_json(msg="keepalived (pid %d) wrote its %s dump but %s" % (pid, dump_format, last_error))
    module.fail_json(msg="keepalived (pid %d) did not rewrite its %s dump %s within %.1f s after signal %d "
                         "(is the dump path right, and does the VRRP process run?)"
                     % (pid, dump_format, path, timeout, signum))


def run_ip_addr(module):
    ip_bin = module.get_bin_path("ip", required=True, opt_dirs=SBIN_DIRS)
    rc, out, err = module.run_command([ip_bin, "-j", "addr", "show"])
    if rc != 0:
        module.fail_json(msg="'ip -j addr show' failed (rc=%d): %s" % (rc, err.strip()))
    try:
        return parse_ip_addr(out), interface_macs(out)
    except IpOutputError as exc:
        module.fail_json(msg=to_native(exc))


def read_drain(path):
    """The drain switch's content, stripped; '' when the file is missing (a member never drained)."""
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8", "replace").strip()
    except (IOError, OSError):
        return ""


def main():
    module = AnsibleModule(
        argument_spec=dict(
            vips=dict(type="list", elements="str"),
            keepalived_bin=dict(type="path", default="/data/apps/keepalived/sbin/keepalived"),
            pid_file=dict(type="path", default="/run/keepalived.pid"),
            service_name=dict(type="str", default="keepalived"),
            dump_format=dict(type="str", choices=["auto", "json", "data"], default="auto"),
            data_file=dict(type="path", default="/tmp/keepalived.data"),
            json_file=dict(type="path", default="/tmp/keepalived.json"),
            timeout=dict(type="float", default=5.0),
            require_running=dict(type="bool", default=True),
            drain_file=dict(type="path"),
        ),
        supports_check_mode=True,
    )
    params = module.params
    if params["timeout"] <= 0 or params["timeout"] > 60:
        module.fail_json(msg="timeout must be greater than 0 and at most 60 seconds, got %s" % params["timeout"])
    wanted = None
    if params["vips"] is not None:
        try:
            wanted = [split_address(v)[0] for v in params["vips"]]
        except ValueError as exc:
            module.fail_json(msg="vips: %s" % to_native(exc))

    result = dict(changed=False, hostname=socket.gethostname(), instances=[], scripts=[], vips=[], vips_not_held=[])
    info = dict(running=False, pid=None, binary=None, version=None, dump_format=None, dump_file=None)
    result["keepalived"] = info

    pid, how = find_pid(module)
    binary = (running_binary(pid) if pid is not None else None) or find_binary(module)
    info["binary"] = binary
    if binary:
        rc, out, err = module.run_command([binary, "-v"])
        info["version"] = parse_version(out + "\n" + err)

    if pid is None:
        if params["require_running"]:
            module.fail_json(msg="keepalived is not running: %s" % how, **result)
    else:
        info["running"] = True
        info["pid"] = pid
        if not binary:
            module.fail_json(msg="keepalived runs (pid %d) but no keepalived binary was found at %s or in PATH, "
                                 "so the dump signal cannot be looked up" % (pid, params["keepalived_bin"]), **result)
        dump_format = params["dump_format"]
        signum = None
        if dump_format in ("auto", "json"):
            rc, out, err = module.run_command([binary, "--signum=JSON"])
            signum = parse_signum(out) if rc == 0 else None
            if signum is None:
                if dump_format == "json":
                    module.fail_json(msg="%s --signum=JSON gave no signal number (rc=%d: %s): this keepalived "
                                         "was built without --enable-json" % (binary, rc, (err or out).strip()),
                                     **result)
                dump_format = "data"
            else:
                dump_format = "json"
        if dump_format == "data":
            rc, out, err = module.run_command([binary, "--signum=DATA"])
            signum = parse_signum(out) if rc == 0 else None
            if signum is None:
                module.fail_json(msg="%s --signum=DATA gave no signal number (rc=%d: %s)"
                                 % (binary, rc, (err or out).strip()), **result)
        path = resolve_dump_path(pid, params["json_file"] if dump_format == "json" else params["data_file"])
        info["dump_format"] = dump_format
        info["dump_file"] = path
        result["instances"], result["scripts"] = request_dump(module, pid, signum, path, dump_format)

    addresses, macs = run_ip_addr(module)
    for inst in result["instances"]:
        inst["mac"] = macs.get(inst["interface"])
    vip_instance = {}
    for inst in result["instances"]:
        for vip in inst["vips"]:
            vip_instance.setdefault(vip["address"], inst["name"])

    if wanted is None and info["running"]:
        wanted = instance_vip_addresses(result["instances"])
    if wanted is None:
        held = extra_global_addresses(addresses)
    else:
        held = find_addresses(addresses, wanted)
    result["vips"] = [dict(address=a["address"], prefix=a["prefix"], interface=a["interface"], mac=a["mac"],
                           instance=vip_instance.get(a["address"])) for a in held]
    held_set = set(a["address"] for a in held)
    result["vips_not_held"] = [w for w in (wanted or []) if w not in held_set]
    if params["drain_file"]:
        result["drain"] = read_drain(params["drain_file"])
    module.exit_json(**result)


if __name__ == "__main__":
    main()
