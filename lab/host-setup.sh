#!/usr/bin/env bash
# Prepare this machine for the lab and the test suite (idempotent):
# Debian packages (docker engine, debootstrap, Pebble), a running dockerd, and the Python venv in .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1;34m==> %s\033[0m\n' "$*"; }
need_pkgs=()
command -v dockerd >/dev/null 2>&1 || need_pkgs+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need_pkgs+=(debootstrap)
command -v iptables >/dev/null 2>&1 || need_pkgs+=(iptables)
command -v shellcheck >/dev/null 2>&1 || need_pkgs+=(shellcheck)   # ansible-test sanity (shellcheck test)
command -v localedef >/dev/null 2>&1 || need_pkgs+=(locales)        # ansible-test's locale (below)
command -v pebble >/dev/null 2>&1 || need_pkgs+=(pebble)            # ACME test CA (Let's Encrypt's Pebble) for molecule/dual_master
if [ ${#need_pkgs[@]} -gt 0 ]; then
  say "Installing Debian packages: ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

# ansible-test runs its tests in en_US.UTF-8 and warns on every run when the machine lacks it (C.UTF-8 instead).
if ! locale -a 2>/dev/null | grep -qix 'en_US.utf8'; then
  say "Compiling the en_US.UTF-8 locale (ansible-test runs in it)"
  localedef -i en_US -c -f UTF-8 en_US.UTF-8
fi

if ! docker info >/dev/null 2>&1; then
  say "Starting dockerd (log: /var/log/halb-dockerd.log)"
  nohup dockerd >/var/log/halb-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start; see /var/log/halb-dockerd.log" >&2; exit 1; }
fi

# Every systemd container takes inotify instances from the host's per-user budget (default 128): with a
# few labs and molecule scenarios up at once, systemd in a new container fails to boot. Raise it.
if [ "$(sysctl -n fs.inotify.max_user_instances 2>/dev/null || echo 1024)" -lt 1024 ]; then
  say "Raising fs.inotify.max_user_instances to 1024 (systemd containers need inotify instances)"
  sysctl -q -w fs.inotify.max_user_instances=1024
fi

if [ ! -x .venv/bin/ansible-playbook ] || [ requirements-test.txt -nt .venv/.installed ]; then
  say "Creating the Python virtualenv .venv (test tooling pinned in requirements-test.txt)"
  python3 -m venv .venv
  quiet_pip() { .venv/bin/pip install -q "$@" 2> >(grep -v '^WARNING: Location' >&2); }
  quiet_pip --upgrade pip
  quiet_pip -r requirements-test.txt
  touch .venv/.installed
fi
# sed, not head: head would close the pipe before ansible has printed, and ansible prints a traceback then.
say "Host ready: $(docker version --format 'docker {{.Server.Version}}'), $(.venv/bin/ansible --version | sed -n 1p)"
