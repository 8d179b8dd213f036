#!/usr/bin/env bash
# The hashdeep peer of the tree_diff workload: hash BEFORE into a known-hash list
# (`hashdeep -r -l`), then audit AFTER against it (`hashdeep -a -k`), and print the
# audit's four counts as `class,n` lines. hashdeep has only these four: it cannot tell
# a modified file from a new one, nor a copy from a move, and it reports the old
# content of a modified file as a known file not found.
#
#   bash Benchmarks/peers/hashdeep_audit.sh BEFORE AFTER
set -eu -o pipefail
[ $# = 2 ] || { echo "usage: hashdeep_audit.sh BEFORE AFTER" >&2; exit 2; }
known=$(mktemp)
trap 'rm -f "$known"' EXIT
(cd "$1" && hashdeep -c sha256 -r -l .) >"$known"
# exit status 1 means "the audit found differences", which is the point here
{ (cd "$2" && hashdeep -c sha256 -a -v -k "$known" -r -l .) || [ $? = 1 ]; } | awk -F': *' '
  /Files matched/ { m = $2 } /Files moved/ { v = $2 } /New files found/ { n = $2 } /Known files not found/ { k = $2 }
  END { if (m == "") exit 1; print "class,n"; print "matched," m; print "moved," v; print "new," n; print "not_found," k }'
