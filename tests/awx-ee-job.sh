#!/usr/bin/env bash
# Run the AWX job templates of awx/job_templates.yml the way AWX runs a job: ansible-runner, the execution
# environment image (awx/build-ee.sh), a project directory (this repository's files), an inventory, a machine
# credential (SSH key handed to ansible-runner), and the survey's answers as extra vars.
# Targets: throwaway systemd containers halb-awx-* on docker network halb-awx (198.18.75.0/24) only.
#
#   tests/awx-ee-job.sh            build the EE if missing, start the containers, run the jobs
#                                  "halb deploy master-backup", "halb verify", "halb drill", remove the containers
#   KEEP=1 tests/awx-ee-job.sh     keep the containers afterwards (remove them with: tests/awx-ee-job.sh down)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$root/.build/awx-job
net=halb-awx subnet=198.18.75
version=$(sed -n 's/^version: *//p' galaxy.yml)
image=halb/nginx-keepalived-ee:$version
export ANSIBLE_COLLECTIONS_PATH=${ANSIBLE_COLLECTIONS_PATH:-$root/.build/collections}

say() { printf '\033[1;34m==> %s\033[0m\n' "$*"; }

mkdir -p "$work"
# The infrastructure inventory: docker connection, used only to create, prepare and remove the containers.
cat >"$work/infra.yml" <<EOF
all:
  vars:
    ansible_connection: community.docker.docker
    ansible_python_interpreter: /usr/bin/python3
    lab_network: $net
    lab_subnet: $subnet.0/24
    lab_image: halb/debian:bookworm
  children:
    clients: {hosts: {client: {ansible_host: halb-awx-client, lab_ipv4: $subnet.171}}}
    load_balancers:
      hosts:
        lb1: {ansible_host: halb-awx-lb1, lab_ipv4: $subnet.181}
        lb2: {ansible_host: halb-awx-lb2, lab_ipv4: $subnet.182}
    webservers:
      hosts:
        web1: {ansible_host: halb-awx-web1, lab_ipv4: $subnet.191}
        web2: {ansible_host: halb-awx-web2, lab_ipv4: $subnet.192}
EOF
down() { ansible-playbook -i "$work/infra.yml" lab/down.yml >/dev/null && say "Removed the halb-awx-* containers and network $net"; }
if [ "${1:-}" = down ]; then down; exit 0; fi

# Always rebuild: the image carries the collection, and a stale one would test old code (layers are cached).
bash awx/build-ee.sh
[ -x .build/ee-venv/bin/ansible-runner ] || .build/ee-venv/bin/pip install -q 'ansible-runner==2.4.3'

say "Starting the throwaway containers halb-awx-* on $net ($subnet.0/24) and the tarball mirror"
ansible-playbook -i "$work/infra.yml" lab/up.yml >"$work/up.log" || { tail -30 "$work/up.log"; exit 1; }
[ "${KEEP:-0}" = 1 ] || trap down EXIT

say "Giving every container an SSH server that accepts the machine credential's key"
[ -f "$work/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C halb-awx-job -f "$work/id_ed25519"
ansible -i "$work/infra.yml" 'all:!localhost' -m ansible.builtin.apt -a 'name=openssh-server update_cache=true' >"$work/sshd.log"
ansible -i "$work/infra.yml" 'all:!localhost' -m ansible.builtin.copy \
  -a "dest=/root/.ssh/authorized_keys mode=0600 content='$(cat "$work/id_ed25519.pub")\n'" >>"$work/sshd.log"
ansible -i "$work/infra.yml" 'all:!localhost' -m ansible.builtin.systemd_service -a 'name=ssh state=started' >>"$work/sshd.log"

say "Preparing ansible-runner's private data directory as AWX does (project, inventory, credential, survey)"
pdd=$work/pdd
rm -rf "$pdd" && mkdir -p "$pdd/project" "$pdd/inventory" "$pdd/env"
# Project update: the repository's files (tracked and new), as an SCM checkout would give them.
git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
  | tar --null -T - -cf - | tar -C "$pdd/project" -xf -
# The AWX inventory: SSH to the containers' addresses; the mirror and the VRRP password as group vars.
cat >"$pdd/inventory/hosts.yml" <<EOF
all:
  vars:
    ansible_user: root
    ansible_python_interpreter: /usr/bin/python3
    ansible_ssh_common_args: -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
  children:
    clients: {hosts: {client: {ansible_host: $subnet.171}}}
    load_balancers:
      vars:
        keepalived_instances:
          - {name: VI_1, virtual_router_id: 75, virtual_ipaddresses: ["$subnet.183/24"]}
        keepalived_source_url: "http://$subnet.171:8000/keepalived-{{ keepalived_version }}.tar.gz"
        keepalived_auth_pass: "$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 8)"
        keepalived_interface: eth0
      hosts:
        lb1: {ansible_host: $subnet.181}
        lb2: {ansible_host: $subnet.182}
    webservers:
      vars: {nginx_lb_backend_max_fails: 3, nginx_lb_backend_fail_timeout: 20s}
      hosts:
        web1: {ansible_host: $subnet.191, nginx_lb_backend_weight: 1}
        web2: {ansible_host: $subnet.192, nginx_lb_backend_weight: 2}
EOF
cp "$work/id_ed25519" "$pdd/env/ssh_key"
# As AWX sets them for a job: collections of the EE, not the project's ansible.cfg collections_path.
cat >"$pdd/env/envvars" <<EOF
ANSIBLE_COLLECTIONS_PATH: /runner/requirements_collections:/usr/share/ansible/collections
ANSIBLE_FORCE_COLOR: "false"
ANSIBLE_HOST_KEY_CHECKING: "false"
EOF
cat >"$pdd/env/settings" <<EOF
process_isolation: true
process_isolation_executable: docker
container_image: $image
container_options: ["--network=$net"]
EOF
chmod -R a+rwX "$pdd"

# A job launch: the survey's defaults from awx/job_templates.yml, overridden by the operator's answers.
survey_vars() {  # survey_vars TEMPLATE_NAME KEY=VALUE... -> YAML extra vars
  python3 - "$@" <<'PY'
import sys, yaml
plays = yaml.safe_load(open("awx/job_templates.yml"))
templates = {t["name"]: t for p in plays for t in p["vars"]["awx_job_templates"]}
template = templates[sys.argv[1]]
answers = dict(a.split("=", 1) for a in sys.argv[2:])
extra = {}
for q in template["survey"]:
    value = answers.get(q["variable"], q.get("default"))
    if value is None:
        sys.exit("survey of %s: %s is required" % (sys.argv[1], q["variable"]))
    extra[q["variable"]] = int(value) if q["type"] == "integer" else float(value) if q["type"] == "float" else str(value)
print("playbook: " + template["playbook"])
print(yaml.safe_dump(extra, default_flow_style=False), end="")
PY
}

run_job() {  # run_job TEMPLATE_NAME ANSWERS...
  local name=$1 spec playbook start rc=0
  shift
  spec=$(survey_vars "$name" "$@")
  playbook=$(sed -n 's/^playbook: //p' <<<"$spec")
  sed '/^playbook: /d' <<<"$spec" >"$pdd/env/extravars"
  say "Job \"$name\": $playbook in $image, extra vars: $(tr '\n' ' ' <"$pdd/env/extravars")"
  start=$(date +%s)
  .build/ee-venv/bin/ansible-runner run "$pdd" -p "$playbook" --ident "$(tr ' ' '_' <<<"$name")" \
    >"$work/$(tr ' ' '_' <<<"$name").log" 2>&1 || rc=$?
  grep -A12 '^PLAY RECAP' "$work/$(tr ' ' '_' <<<"$name").log" || tail -40 "$work/$(tr ' ' '_' <<<"$name").log"
  say "Job \"$name\" finished with rc=$rc in $(( $(date +%s) - start )) s (log: ${work#"$root"/}/$(tr ' ' '_' <<<"$name").log)"
  return "$rc"
}

# The lab mirror serves upstream's 2.2.7 tarball (keepalived.org is unreachable): the operator answers
# the survey's release and checksum questions accordingly; every other answer is the survey's default.
run_job "halb deploy master-backup" keepalived_version=2.2.7 keepalived_source_checksum=md5:5f310b66a043a1fb31acf65af15e95bc
run_job "halb verify" verify_requests=12
run_job "halb drill" drill_name=graceful drill_confirm=true
say "AWX-style jobs passed in the execution environment $image"
