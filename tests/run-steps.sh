#!/usr/bin/env bash
# make test: run the suite's make targets one after the other, each timed, and print one summary table at the end
# (each step's and each molecule scenario's wall time, with the load average while it ran).
# A step written NAME& runs in the background (its output in .build/timings/NAME.log, printed if it fails) beside
# the steps that follow, until a step named `wait` joins it: the base images download while the static checks run.
# Like make, it stops at the first step that fails; the table then shows the steps that ran.
# Timings land in .build/timings/ (steps.tsv, molecule.tsv, phases.tsv, load.tsv); tests/suite_timing.py reads them.
# Usage: tests/run-steps.sh STEP...   (make targets, e.g. deps images& unit lint wait molecule)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
timings=.build/timings
rm -rf "$timings"
mkdir -p "$timings"

# The load average every 10 s while the suite runs: a timing is only comparable with its load.
( while :; do printf '%s %s\n' "$(date +%s)" "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$timings/load.tsv"; sleep 10; done ) &
sampler=$!
trap 'kill "$sampler" 2>/dev/null' EXIT

# A step: make TARGET, its time appended to steps.tsv under LABEL (the target; NAME& for a background step).
run_step() {
  local step=$1 label=${2:-$1} start rc=0
  start=$(date +%s)
  "${MAKE:-make}" --no-print-directory "$step" || rc=$?
  printf '%s\t%s\t%s\t%s\n' "$label" "$rc" "$start" "$(date +%s)" >>"$timings/steps.tsv"
  return "$rc"
}

declare -A background
join_background() {
  local step rc=0
  for step in "${!background[@]}"; do
    if ! wait "${background[$step]}"; then
      printf '\033[1;31m==> %s FAILED (in the background); its output:\033[0m\n' "$step"
      cat "$timings/$step.log"
      rc=1
    fi
    unset "background[$step]"
  done
  return "$rc"
}

export HALB_SUITE_TIMINGS=$timings
rc=0
for step in "$@"; do
  case $step in
    wait) join_background || rc=1 ;;
    *'&')
      step=${step%&}
      printf '\033[1;34m==> %s runs in the background (log: %s)\033[0m\n' "$step" "$timings/$step.log"
      run_step "$step" "$step&" >"$timings/$step.log" 2>&1 &
      background[$step]=$! ;;
    *) run_step "$step" || rc=$? ;;
  esac
  [ "$rc" -eq 0 ] || break
done
[ "$rc" -eq 0 ] || join_background >/dev/null 2>&1 || true
python3 tests/suite_timing.py report "$timings" || true
exit "$rc"
