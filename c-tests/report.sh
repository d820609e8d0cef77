# PASS/FAIL/SKIP rows and the closing count of a check script. Source it
# with the row label as its argument: . "$here/report.sh" header
report_label=$1
n_ok=0; n_bad=0; n_skip=0
ok()   { n_ok=$((n_ok + 1));     printf '  PASS  %-13s %s\n' "$report_label" "$1"; }
bad()  { n_bad=$((n_bad + 1));   printf '  FAIL  %-13s %s\n' "$report_label" "$1"; }
skip() { n_skip=$((n_skip + 1)); printf '  SKIP  %-13s %s (%s)\n' "$report_label" "$1" "$2"; }
# report_end NAME: prints "NAME: N passed, N failed, N skipped"; fails on any failure.
report_end() { echo "$1: $n_ok passed, $n_bad failed, $n_skip skipped"; [ "$n_bad" -eq 0 ]; }
