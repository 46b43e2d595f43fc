#!/usr/bin/env bash
# Run ansible-test (sanity and/or units) on a COPY of the collection at
# .build/ansible-test/ansible_collections/halb/nginx_keepalived: ansible-test needs that path and walks
# the tree, so a symlink to the checkout will not do. The copy holds the tracked files plus untracked
# files that .gitignore does not exclude (new work in progress is tested too).
#
#   tests/run-ansible-test.sh            sanity + units
#   tests/run-ansible-test.sh sanity     sanity only (extra arguments are passed on: --test pylint ...)
#   tests/run-ansible-test.sh units
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
py=${ANSIBLE_TEST_PYTHON:-3.11}
dest=$root/.build/ansible-test/ansible_collections/halb/nginx_keepalived

say() { printf '\033[1;34m==> %s\033[0m\n' "$*"; }

say "Copying the collection to ${dest#"$root"/}"
rm -rf "$dest"
mkdir -p "$dest"
# Tracked + untracked-but-not-ignored files that exist (a file deleted in the work tree is skipped).
git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
  | tar --null -T - -cf - | tar -C "$dest" -xf -
# ansible-test decides what to check from git: give the copy its own repository of exactly these files.
git -C "$dest" init -q
git -C "$dest" add -A

# ansible-test bootstraps pip in its sanity virtual environments with a get-pip.py downloaded from
# ci-files.testing.ansible.com (unreachable here); it uses a cached copy when one exists.
pip_version=$(python -c 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))' \
  | xargs -I{} grep -oP "pip='\K[0-9.]+" {}/_internal/python_requirements.py | head -1)
cache=$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py
if [ ! -s "$cache" ]; then
  mkdir -p "$(dirname "$cache")"
  cp tests/ansible-test/get_pip_offline.py "$cache"
fi

cd "$dest"
what=${1:-all}
[ $# -gt 0 ] && shift
# Sanity tools run in virtual environments ansible-test creates itself (its pinned requirements, from
# PyPI), so they never disturb the pinned tooling of .venv; units adds mock, pytest-mock and pytest-xdist
# to the current Python (.venv).
# This machine's pip configuration names local index directories that may not exist; pip warns about each one
# for every package it resolves (lab/host-setup.sh drops the same lines from its own pip runs).
run() {
  local command=$1
  shift
  ansible-test "$command" --python "$py" --local --requirements --color "$@" 2>&1 \
    | { grep -v '^WARNING: Location .* is ignored: it is neither a file nor a directory' || true; }
}
case $what in
  sanity|units) run "$what" "$@" ;;
  all)
    run sanity "$@"
    run units "$@"
    ;;
  *) echo "usage: $0 [sanity|units|all] [ansible-test arguments]" >&2; exit 2 ;;
esac
