#!/usr/bin/env bash
# The peer suites (make test-peers): glibc's own clone tests built against
# sched_clone (glibc-tests.sh) and real Debian programs that call clone()
# run with it (programs.sh). Prints both suites' rows and one total line.
set -u
here=$(cd "$(dirname "$0")" && pwd)
tp=0; tf=0; ts=0; rc=0
log=$(mktemp); trap 'rm -f "$log"' EXIT
for s in glibc-tests programs; do
    start=$SECONDS
    bash "$here/$s.sh" | tee "$log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
    line=$(grep -E "^$s: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$" "$log" | tail -n 1)
    if [ -z "$line" ]; then echo "peers: $s printed no result line"; tf=$((tf + 1)); rc=1; continue; fi
    set -- $line
    tp=$((tp + $2)); tf=$((tf + $4)); ts=$((ts + $6))
    echo "peers: $s took $((SECONDS - start)) s"
done
echo "peers: $tp passed, $tf failed, $ts skipped"
[ $rc -eq 0 ] && [ $tf -eq 0 ]
