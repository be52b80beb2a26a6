# Sourced by bin/imet, bin/imet-spark and the bench scripts: how the engine's process runs. Sets $engine_allocator.
# - OpenMP threads of the engine spin a little before they sleep while they wait (GOMP_SPINCOUNT=3000, about a
#   tenth of a millisecond, unless OMP_WAIT_POLICY or GOMP_SPINCOUNT is set): a resnet18 step at 64 px is a few
#   hundred short operations, and a thread that sleeps at once is woken by a system call for each (measured 1.38x
#   the training images/s of OMP_WAIT_POLICY=PASSIVE over a whole run on 2 cores); a long spin (the library's own
#   default) steals the cores from the image-decoding threads and from any other job. Where two engine jobs share
#   the cores, OMP_WAIT_POLICY=PASSIVE is about 1.2x faster for each: docs/performance.md, "The OpenMP wait policy".
# - jemalloc when installed (IMET_NO_JEMALLOC=1: glibc malloc): large activations with glibc malloc cost page faults
#   (measured ~0.7x speed without it); dirty pages are kept (MALLOC_CONF) rather than returned and faulted in again.
if [[ -z "${OMP_WAIT_POLICY+set}${GOMP_SPINCOUNT+set}" ]]; then export GOMP_SPINCOUNT=3000; fi
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
