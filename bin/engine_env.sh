# Sourced by bin/imet, bin/imet-spark and the bench scripts: how the engine's process runs. Sets $engine_allocator.
# - OpenMP threads of the engine sleep instead of spinning while they wait (OMP_WAIT_POLICY=PASSIVE, unless
#   OMP_WAIT_POLICY or GOMP_SPINCOUNT is set): spinning steals the cores from the image-decoding threads (and from
#   anything else running), measured 6x slower training under load; docs/performance.md, "The OpenMP wait policy".
# - jemalloc when installed (IMET_NO_JEMALLOC=1: glibc malloc): large activations with glibc malloc cost page faults
#   (measured ~0.7x speed without it); dirty pages are kept (MALLOC_CONF) rather than returned and faulted in again.
if [[ -z "${OMP_WAIT_POLICY+set}${GOMP_SPINCOUNT+set}" ]]; then export OMP_WAIT_POLICY=PASSIVE; fi
engine_allocator="glibc malloc"
if [[ -z "${IMET_NO_JEMALLOC:-}" ]]; then
  for engine_lib in /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 /usr/lib/aarch64-linux-gnu/libjemalloc.so.2; do
    if [[ -f "$engine_lib" ]]; then
      [[ "${LD_PRELOAD:-}" == *jemalloc* ]] || export LD_PRELOAD="$engine_lib${LD_PRELOAD:+:$LD_PRELOAD}"
      export MALLOC_CONF="${MALLOC_CONF:-dirty_decay_ms:-1,muzzy_decay_ms:-1}"
      engine_allocator="jemalloc ($engine_lib, MALLOC_CONF=$MALLOC_CONF)"
      break
    fi
  done
fi
