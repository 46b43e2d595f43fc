# -*- coding: utf-8 -*-
# Copyright (c) 2026, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Count the VRRP adverts from outside the cluster, and the malformed ones, as Prometheus metrics.

A long-running service (halb-vrrp-listener.service). It listens on each VRRP interface with a packet socket, which
sees what arrives on the interface before netfilter (the VRRP firewall drops a foreign speaker's adverts; it does
not hide them from this), and every --interval seconds replaces its metrics file in node_exporter's textfile
directory. A foreign advert is one for a VRID of the cluster from an address that is not a member's. The parsing,
counting and rendering are the collection's module_utils (_vrrp_adverts, _keepalived_metrics), installed next to
this file and unit-tested there. The configuration (interfaces, member addresses, watched VRIDs) is a JSON file the
monitoring role writes.
"""

import argparse
import json
import sys
import time

# A flooded segment costs at most this many parsed packets per interval; the rest waits for the next one.
MAX_PACKETS = 20000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lib", required=True, help="directory of the module_utils files")
    parser.add_argument("--config", required=True, help="JSON: interfaces, members, watch ([interface, family, vrid])")
    parser.add_argument("--output", required=True, help="metrics file (*.prom) in the textfile directory")
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between two writes")
    args = parser.parse_args()
    sys.path.insert(0, args.lib)
    import _keepalived_metrics
    import _vrrp_adverts

    with open(args.config) as handle:
        config = json.load(handle)
    watched = [tuple(item) for item in config["watch"]]
    vrids = sorted(set(vrid for dummy_i, dummy_f, vrid in watched))
    sockets = dict((interface, _vrrp_adverts.open_socket(interface)) for interface in config["interfaces"])
    print("listening on %s for VRIDs %s" % (", ".join(sorted(sockets)), ", ".join(str(v) for v in vrids)),
          file=sys.stderr)
    totals = _vrrp_adverts.new_totals()
    while True:
        heard = _vrrp_adverts.receive(sockets, args.interval, MAX_PACKETS)
        now = time.time()
        for interface, adverts in sorted(heard.items()):
            summary = _vrrp_adverts.summarise(adverts, config["members"], vrids, interface)
            _vrrp_adverts.count(totals, summary, interface, now)
            for text in summary["foreign_text"]:
                print("foreign VRRP speaker: %s" % text, file=sys.stderr)
        _keepalived_metrics.write_atomically(args.output, _keepalived_metrics.render_adverts(totals, watched, now))


if __name__ == "__main__":
    main()
