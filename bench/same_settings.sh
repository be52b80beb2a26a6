# Sourced by the bench scripts: the same allocator and OpenMP wait policy for every process they start, Java and
# Python alike, as bin/imet sets them for the Java side on its own. Sets $bench_settings, a line that says which.
# - jemalloc through LD_PRELOAD (MALLOC_CONF dirty_decay_ms:-1,muzzy_decay_ms:-1: pages kept, as bin/imet) when
#   libjemalloc2 is installed; IMET_NO_JEMALLOC=1 gives glibc malloc to both sides.
# - OMP_WAIT_POLICY=PASSIVE (threads sleep while they wait: robust on a busy machine) unless OMP_WAIT_POLICY or
#   GOMP_SPINCOUNT is set (GOMP_SPINCOUNT=10000: faster on a dedicated machine, see docs/performance.md).
bench_allocator="glibc malloc"
if [[ -z "${IMET_NO_JEMALLOC:-}" ]]; then
  for bench_lib in /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 /usr/lib/aarch64-linux-gnu/libjemalloc.so.2; do
    if [[ -f "$bench_lib" ]]; then
      [[ "${LD_PRELOAD:-}" == *jemalloc* ]] || export LD_PRELOAD="$bench_lib${LD_PRELOAD:+:$LD_PRELOAD}"
      export MALLOC_CONF="${MALLOC_CONF:-dirty_decay_ms:-1,muzzy_decay_ms:-1}"
      bench_allocator="jemalloc ($bench_lib, MALLOC_CONF=$MALLOC_CONF)"
      break
    fi
  done
  [[ "$bench_allocator" == "glibc malloc" ]] && echo "bench: jemalloc not installed (apt-get install -y libjemalloc2);" \
      "every side uses glibc malloc" >&2
else
  export IMET_NO_JEMALLOC=1
fi
if [[ -z "${OMP_WAIT_POLICY+set}${GOMP_SPINCOUNT+set}" ]]; then export OMP_WAIT_POLICY=PASSIVE; fi
bench_settings="allocator: $bench_allocator, OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-unset} GOMP_SPINCOUNT=${GOMP_SPINCOUNT:-unset}"
