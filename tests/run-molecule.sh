#!/usr/bin/env bash
# make molecule: run molecule scenarios, MOLECULE_JOBS at a time (default 2, one per core of the CI machine).
# Each scenario has its own containers, network and log (.build/molecule/NAME.log); a line per scenario says
# when it starts and how it ended after how long, and a failed scenario's whole log is printed at the end.
# Each scenario's time and the start of each of its molecule actions land in .build/timings (molecule.tsv,
# phases.tsv) for make test's summary table; the table of this run is printed at the end too.
# Usage: tests/run-molecule.sh SCENARIO...
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
jobs=${MOLECULE_JOBS:-2}
logs=.build/molecule
# make test (tests/run-steps.sh) names its timings directory in HALB_SUITE_TIMINGS and prints the table itself.
timings=${HALB_SUITE_TIMINGS:-.build/timings}
mkdir -p "$logs" "$timings"
: >"$timings/molecule.tsv"
: >"$timings/phases.tsv"
# Alone, make molecule reports only its scenarios: an earlier make test's steps and load samples are not this run's.
[ -n "${HALB_SUITE_TIMINGS:-}" ] || rm -f "$timings/steps.tsv" "$timings/load.tsv"

say() { printf '\033[1;34m==> %s\033[0m\n' "$*"; }

run_scenario() {
  local scenario=$1 start=$SECONDS epoch rc=0
  epoch=$(date +%s)
  molecule test -s "$scenario" 2>&1 | python3 tests/suite_timing.py record "$scenario" "$timings/phases.tsv" >"$logs/$scenario.log"
  rc=${PIPESTATUS[0]}
  printf '%s\t%s\t%s\t%s\n' "$scenario" "$rc" "$epoch" "$(date +%s)" >>"$timings/molecule.tsv"
  if [ "$rc" -eq 0 ]; then
    say "molecule $scenario passed in $((SECONDS - start)) s"
  else
    printf '\033[1;31m==> molecule %s FAILED (rc %s) after %s s: %s\033[0m\n' "$scenario" "$rc" "$((SECONDS - start))" "$logs/$scenario.log"
  fi
  return "$rc"
}

start=$SECONDS
declare -A pid_of
for scenario in "$@"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  say "molecule $scenario started (log: $logs/$scenario.log)"
  run_scenario "$scenario" &
  pid_of[$scenario]=$!
done
failed=()
for scenario in "$@"; do
  wait "${pid_of[$scenario]}" || failed+=("$scenario")
done
for scenario in "${failed[@]}"; do
  printf '\033[1;31m==> Log of the failed scenario %s\033[0m\n' "$scenario"
  cat "$logs/$scenario.log"
done
say "molecule: $(( $# - ${#failed[@]} )) of $# scenarios passed in $((SECONDS - start)) s, $jobs at a time${failed[*]:+; failed: ${failed[*]}}"
# make molecule alone prints the table of its scenarios; make test prints one table of every step at its end.
[ -n "${HALB_SUITE_TIMINGS:-}" ] || python3 tests/suite_timing.py report "$timings"
[ "${#failed[@]}" -eq 0 ]
