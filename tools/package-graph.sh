#!/bin/sh
# The package graph of compiled classes (default: bus-core's), one line per package with the
# packages of ours it uses, "(root)" being io.resquebus. Compile first:
#   ./mvnw -B -q -pl bus-core compile && tools/package-graph.sh
set -eu
cd "$(git rev-parse --show-toplevel)"
jdeps -verbose:package -filter:none "${1:-bus-core/target/classes}" 2>/dev/null \
	| grep -E '^\s+io\.resquebus\S* +-> io\.resquebus' \
	| awk '{ print $1 " " $3 }' \
	| sed -E 's/^io\.resquebus /(root) /; s/ io\.resquebus$/ (root)/; s/io\.resquebus\.//g' \
	| awk '$1 != $2' | sort -u \
	| awk '{ d[$1] = d[$1] " " $2 } END { for (k in d) print k " ->" d[k] }' | sort
