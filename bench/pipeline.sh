#!/usr/bin/env bash
# Times make-folds, the threshold search and make-submission on synthetic data of the real iMet sizes
# (dev.imet.bench.PipelineBench). Extra arguments go to the benchmark (--help lists them).
# The network has its own benchmark: bin/imet benchmark.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
stamp="$root/core/target/.imet-built"  # shared with bin/imet
if [[ ! -f "$stamp" || -n "$(find "$root/core/src/main" "$root/core/pom.xml" "$root/pom.xml" -newer "$stamp" -print -quit 2>/dev/null)" ]]; then
  echo "pipeline.sh: building..." >&2
  (cd "$root" && mvn -q -B -Dstyle.color=never -DskipTests -pl core -am package >&2)
  touch "$stamp"
fi
exec java ${IMET_JAVA_OPTS:--Xmx4g} -cp "$root/core/target/classes:$root/core/target/lib/*" dev.imet.bench.PipelineBench "$@"
