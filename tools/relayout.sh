#!/bin/sh
# Re-runnable package moves of issue 10: see tools/relayout.py. Run from anywhere in the repository:
#   tools/relayout.sh && ./mvnw -B -q -pl bus-core,bus-spring-boot-autoconfigure,bus-test -am test-compile
set -eu
cd "$(git rev-parse --show-toplevel)"
exec python3 tools/relayout.py "$@"
