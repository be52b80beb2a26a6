# Sourced by the bench scripts: the same allocator and OpenMP wait policy for every process they start, Java and
# Python alike: bin/engine_env.sh, which bin/imet sources for the Java side on its own (jemalloc when installed,
# IMET_NO_JEMALLOC=1 for glibc malloc on every side; GOMP_SPINCOUNT=3000 unless OMP_WAIT_POLICY or GOMP_SPINCOUNT
# is set: OMP_WAIT_POLICY=PASSIVE where another job shares the cores, see docs/performance.md).
# Sets $bench_settings, a line that says which.
source "$root/bin/engine_env.sh"
if [[ -n "${IMET_NO_JEMALLOC:-}" ]]; then
  export IMET_NO_JEMALLOC=1
elif [[ "$engine_allocator" == "glibc malloc" ]]; then
  echo "bench: jemalloc not installed (apt-get install -y libjemalloc2); every side uses glibc malloc" >&2
fi
bench_settings="allocator: $engine_allocator, OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-unset} GOMP_SPINCOUNT=${GOMP_SPINCOUNT:-unset}"
