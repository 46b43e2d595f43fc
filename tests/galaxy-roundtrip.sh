#!/usr/bin/env bash
# Galaxy round trip, offline: build the collection tarball, check what it holds, install it into a
# throwaway directory, then use it by FQCN with ANSIBLE_COLLECTIONS_PATH pointing only at that directory:
# ansible-doc for every module, filter and role, and --syntax-check of every playbook it ships.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$root/.build/galaxy
ns=halb name=nginx_keepalived

say() { printf '\033[1;34m==> %s\033[0m\n' "$*"; }
fail() { printf '\033[1;31mFAIL: %s\033[0m\n' "$*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work/dist" "$work/install" "$work/run"

say "Building the collection tarball"
ansible-galaxy collection build --force --output-path "$work/dist" . >/dev/null
tarball=$(ls "$work"/dist/$ns-$name-*.tar.gz)
tar -tzf "$tarball" | sed 's|/$||' | sort >"$work/contents.txt"
printf '%s: %s files, %s\n' "${tarball#"$root"/}" "$(wc -l <"$work/contents.txt")" "$(du -h "$tarball" | cut -f1)"

say "Checking the tarball's contents"
# Must ship: the collection itself, its documentation and changelog.
for path in MANIFEST.json FILES.json README.md meta/runtime.yml changelogs/changelog.yaml \
  plugins/modules/vrrp_info.py plugins/modules/vip_owner.py plugins/modules/lb_distribution.py \
  plugins/filter/keepalived_plan.py playbooks/site.yml playbooks/verify.yml playbooks/master_backup.yml; do
  grep -qx "$path" "$work/contents.txt" || fail "the tarball lacks $path"
done
for role in roles/*/; do
  grep -qx "${role%/}/meta/argument_specs.yml" "$work/contents.txt" || fail "the tarball lacks ${role}meta/argument_specs.yml"
done
# Must not ship: local tooling, caches, build output, version control, secrets of the lab.
if grep -E '^(\.venv|\.build|\.cache|\.ci|\.git|\.ansible|\.pytest_cache|lab|tests/output)(/|$)|__pycache__|\.pyc$|\.tar\.gz$|^Makefile$' \
  "$work/contents.txt"; then
  fail "the tarball holds the paths above; extend build_ignore in galaxy.yml"
fi

# From here on: only the install directory, no checkout config (its collections_path links the checkout),
# no collections from site-packages.
cd "$work/run"
printf '[defaults]\n' >ansible.cfg
export ANSIBLE_CONFIG=$work/run/ansible.cfg ANSIBLE_COLLECTIONS_PATH=$work/install ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false
unset ANSIBLE_COLLECTIONS_PATHS
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0   # the checks below read ansible-doc's output

say "Installing the tarball offline into ${work#"$root"/}/install, with its dependencies (built from the ansible package)"
bash "$root/awx/dependency-tarballs.sh" "$work/deps" >/dev/null
ansible-galaxy collection install --offline --force -p "$work/install" "$tarball" "$work"/deps/*.tar.gz >/dev/null
installed=$work/install/ansible_collections/$ns/$name
[ -f "$installed/MANIFEST.json" ] || fail "nothing installed at $installed"
ansible-galaxy collection verify --offline -p "$work/install" "$ns.$name" >/dev/null \
  || fail "the installed files differ from the tarball's manifest"


doc() {  # doc TYPE FQCN: ansible-doc must render it from the installed copy
  local out
  out=$(ansible-doc -t "$1" "$2" 2>&1) || { printf '%s\n' "$out" >&2; fail "ansible-doc -t $1 $2"; }
  grep -q "$installed" <<<"$out" || fail "ansible-doc -t $1 $2 did not read $installed"
  printf '  ansible-doc -t %-6s %s: ok\n' "$1" "$2"
}
say "Rendering the documentation by FQCN"
for f in "$installed"/plugins/modules/*.py; do
  doc module "$ns.$name.$(basename "$f" .py)"
done
for f in $(ansible-doc -t filter -l "$ns.$name" | awk '{print $1}'); do
  doc filter "$f"
done
for r in "$installed"/roles/*/; do
  r=$(basename "$r")
  out=$(ansible-doc -t role -e main "$ns.$name.$r" 2>&1) || { printf '%s\n' "$out" >&2; fail "ansible-doc -t role $ns.$name.$r"; }
  grep -Eq "ENTRY POINT: [*]?main[*]? " <<<"$out" || fail "ansible-doc -t role $ns.$name.$r shows no main entry point"
  grep -q "$installed" <<<"$out" || fail "ansible-doc -t role $ns.$name.$r did not read $installed"
  printf '  ansible-doc -t %-6s %s: ok\n' role "$ns.$name.$r"
done

say "Syntax-checking every shipped playbook by FQCN"
for p in "$installed"/playbooks/*.yml; do
  p=$(basename "$p" .yml)
  ansible-playbook "$ns.$name.$p" -i "$root/inventories/lab" --syntax-check >/dev/null 2>"$work/syntax-$p.err" \
    || { cat "$work/syntax-$p.err" >&2; fail "ansible-playbook $ns.$name.$p --syntax-check"; }
  printf '  ansible-playbook %s --syntax-check: ok\n' "$ns.$name.$p"
done
say "Galaxy round trip passed"
