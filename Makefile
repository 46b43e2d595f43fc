# Two commands for a newcomer on a fresh Debian 12 machine (root):
#   make demo   stand up the local lab, deploy the cluster, show it working
#   make test   the whole suite: unit tests, lint, molecule scenarios with real VRRP failover
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV      := $(CURDIR)/.venv
COLL_ROOT := $(CURDIR)/.build/collections
COLL_DIR  := $(COLL_ROOT)/ansible_collections/halb/nginx_keepalived
TOPOLOGY  ?= master_backup
# Lab inventory: inventories/lab (two load balancers) or inventories/lab_three (three, dual_master).
LAB       ?= inventories/lab
# MONITORING=1: the lab client also runs Prometheus and Alertmanager (inventories/lab_monitoring.yml).
MONITORING ?= 0
LAB_INVENTORY = -i $(LAB)$(if $(filter 1,$(MONITORING)), -i inventories/lab_monitoring.yml)
# operations first: it is the longest (about 25 min in CI), so it runs beside all the others; default next, in the other
# slot: it boots the shared platform in seconds, so a broken platform fails fast.
SCENARIOS ?= operations default master_backup fleet dual_master monitoring dual_stack platforms
# Scenarios run at a time by make molecule (each on its own network; 2 = the CI machine's cores).
MOLECULE_JOBS ?= 2
# Debian releases besides bookworm that molecule/platforms runs on (Debian 11 and 13).
PLATFORM_SUITES := bullseye trixie
export PATH := $(VENV)/bin:$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(COLL_ROOT)
export ANSIBLE_FORCE_COLOR ?= true
export PY_COLORS ?= 1
# Where the molecule scenarios live. Molecule 26 looks for them under extensions/molecule in a collection and warns
# on every run when they are in molecule/ at the root; naming the glob says where they are.
export MOLECULE_GLOB := molecule/*/molecule.yml

.PHONY: help deps image images lab demo test unit lint sanity validation galaxy promtool molecule awx-ee lab-down bench clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

deps: ## Install what the lab and tests need (Debian packages, dockerd, .venv); idempotent
	@bash lab/host-setup.sh
	@mkdir -p $(dir $(COLL_DIR)) .cache && ln -sfn ../../../.. $(COLL_DIR)

image: deps ## Build the systemd base image locally (debootstrap + docker import)
	@bash lab/build-image.sh bookworm

images: image ## Build the Debian 11 and 13 images too (molecule/platforms)
	@for suite in $(PLATFORM_SUITES); do bash lab/build-image.sh $$suite; done

lab: image ## Start the lab containers on docker network halb-lab (198.18.70.0/24)
	@printf '\033[1;34m==> %s\033[0m\n' "Starting the lab containers and the keepalived tarball mirror"
	ansible-playbook -i $(LAB) lab/up.yml

demo: lab ## Deploy the cluster to the lab and show it working (TOPOLOGY=master_backup|dual_master; MONITORING=1 adds Prometheus)
	@printf '\033[1;34m==> %s\033[0m\n' "Deploying playbooks/$(TOPOLOGY).yml (first run builds keepalived from source)"
	ansible-playbook $(LAB_INVENTORY) playbooks/$(TOPOLOGY).yml
	@printf '\033[1;34m==> %s\033[0m\n' "Showing the cluster at work"
	ansible-playbook -i $(LAB) lab/demo.yml -e demo_topology=$(TOPOLOGY)
	$(if $(filter 1,$(MONITORING)),ansible-playbook $(LAB_INVENTORY) lab/monitoring.yml)

# make test's steps, in order; tests/run-steps.sh times each and prints one table at the end. images& builds the
# base images in the background while the static checks run (debootstrap waits on the network most of the time);
# wait joins it before molecule needs them.
TEST_STEPS := deps images& unit lint sanity validation galaxy promtool wait molecule

test: ## Run the whole suite (each step and each molecule scenario timed: a table at the end)
	@MAKE="$(MAKE)" bash tests/run-steps.sh $(foreach step,$(TEST_STEPS),'$(step)')

unit: deps ## Unit tests of the pure logic (plugins/module_utils), the role READMEs and the docs
	cd $(COLL_DIR) && PYTHONPATH=$(COLL_ROOT) python -m pytest -p no:cacheprovider tests/unit

# Controller-side code also takes ruff's bug, modern-Python and import-order rules; Ansible's boilerplate (__future__
# imports, __metaclass__, the coding line) and printf-style messages stay.
PLUGIN_UTILS_RUFF = --extend-select B,UP,I --ignore UP001,UP009,UP010,UP031

lint: deps ## ansible-lint (production profile); ruff and mypy on the Python (pyproject.toml)
	ansible-lint
	ruff check --quiet .
	ruff check --quiet $(PLUGIN_UTILS_RUFF) plugins/plugin_utils
	mypy

sanity: deps ## ansible-test sanity + units on a copy of the collection; antsibull-changelog lint
	bash tests/run-ansible-test.sh all
	antsibull-changelog lint

validation: deps ## Bad-input corpus: each refused by site.yml with its exact error before any host changes
	python -m pytest -p no:cacheprovider -q -n $(shell nproc) tests/validation

galaxy: deps ## Build the collection tarball, install it offline, use it by FQCN (ansible-doc, --syntax-check)
	bash tests/galaxy-roundtrip.sh

promtool: deps ## promtool check + unit tests of every alert rule (promtool from Debian's prometheus package, no daemon)
	bash tests/prometheus/run-promtool.sh

molecule: images ## Molecule scenarios with real containers, keepalived, nginx and VRRP (MOLECULE_JOBS at a time; logs in .build/molecule)
	MOLECULE_JOBS=$(MOLECULE_JOBS) bash tests/run-molecule.sh $(SCENARIOS)

awx-ee: image ## Build the execution environment; run deploy, verify and drill as AWX jobs (ansible-runner) on halb-awx-* containers
	bash tests/awx-ee-job.sh

lab-down: deps ## Remove the lab containers and network
	ansible-playbook -i $(LAB) lab/down.yml

bench: image ## Failure drills (standard and fast profile), deploy time, throughput on an own lab (halb-bench), 1-20 clusters (halb-fleet); writes docs/benchmarks*.md
	@if [ ! -e $(VENV)/.bench-installed ] || [ benchmarks/requirements.txt -nt $(VENV)/.bench-installed ]; then \
	  $(VENV)/bin/pip install -q --only-binary=:all: -r benchmarks/requirements.txt && touch $(VENV)/.bench-installed; fi
	python3 benchmarks/run.py

clean: lab-down ## Remove the lab and local build artefacts (keeps .venv)
	rm -rf .build .cache
