#!/usr/bin/env bash
# Side-by-side throughput against Python's best settings: each round runs, alternating, `bin/imet benchmark`
# (Java) at --precision fp32 and the reference's torch_throughput.py (Python/PyTorch) with --channels-last, then
# Java at --precision bf16 and Python with --bf16 --channels-last (CPU autocast), both sides channels-last, the same
# network, input size and batch. It prints every JSON line, then per precision the medians and the Java/Python
# ratios of train_img_s, infer_img_s and peak_rss_mb, and Java bf16 against Python fp32. Both sides run with the
# same allocator: jemalloc through LD_PRELOAD when it is installed (IMET_NO_JEMALLOC=1: glibc malloc on both).
#
# usage: bench/compare.sh [--arch resnet50] [--size 320] [--batch 16] [--rounds 3] [--threads N]
#                         [--precisions "fp32 bf16"] [--iters TRAIN,INFER]
# --precisions fp32 skips the bf16 pair (bfloat16 is emulated, and very slow, on processors without avx512_bf16 or
# AMX); --iters sets both sides' timed steps (default 6,10, as both scripts).
# The Python script: $TORCH_THROUGHPUT, else ../shared/reference/torch_throughput.py next to the repository.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
arch=resnet50 size=320 batch=16 rounds=3 threads="$(nproc)" precisions="fp32 bf16" iters=6,10
while [[ $# -gt 0 ]]; do
  case "$1" in
    --arch) arch="$2"; shift 2 ;;
    --size) size="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --precisions) precisions="$2"; shift 2 ;;
    --iters) iters="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

missing=()
python=/usr/bin/python3
script="${TORCH_THROUGHPUT:-}"
if [[ -z "$script" ]]; then
  for candidate in "$root/../shared/reference/torch_throughput.py" "$root/../../shared/reference/torch_throughput.py"; do
    [[ -f "$candidate" ]] && { script="$candidate"; break; }
  done
fi
[[ -n "$script" && -f "$script" ]] || missing+=("torch_throughput.py (set TORCH_THROUGHPUT=/path/to/it)")
[[ -x "$python" ]] || missing+=("Debian's python3 (apt-get install -y python3)")
if [[ -x "$python" ]] && ! "$python" -c 'import torch, torchvision' 2>/dev/null; then
  missing+=("PyTorch for $python (apt-get install -y python3-torch python3-torchvision libopenblas0-pthread)")
fi
command -v java >/dev/null || missing+=("java 17 (apt-get install -y openjdk-17-jdk-headless)")
if [[ ${#missing[@]} -gt 0 ]]; then
  printf 'compare.sh: missing, nothing was installed:\n' >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 1
fi

source "$root/bench/same_settings.sh"
echo "# $arch, ${size} px, batch $batch, $threads threads, $rounds rounds, $bench_settings" >&2

# Build once, outside the timed runs.
"$root/bin/imet" --version >/dev/null

train_iters="${iters%,*}" infer_iters="${iters#*,}"
lines=()
for ((r = 1; r <= rounds; r++)); do
  for precision in $precisions; do
    case "$precision" in
      fp32) python_flags=(--channels-last) ;;
      bf16) python_flags=(--bf16 --channels-last) ;;
      *) echo "compare.sh: --precisions takes fp32 and bf16, not $precision" >&2; exit 2 ;;
    esac
    line="$("$root/bin/imet" benchmark --arch "$arch" --size "$size" --batch-size "$batch" --threads "$threads" \
        --precision "$precision" --memory-format channels-last --train-iters "$train_iters" \
        --infer-iters "$infer_iters" | tail -n 1)"
    echo "$line"; lines+=("java $precision $line")
    line="$("$python" "$script" --arch "$arch" --size "$size" --batch "$batch" --threads "$threads" \
        --train-iters "$train_iters" --infer-iters "$infer_iters" "${python_flags[@]}" | tail -n 1)"
    echo "$line"; lines+=("python $precision $line")
  done
done

"$python" - "${lines[@]}" <<'PY'
import json, statistics, sys
runs = {}
for arg in sys.argv[1:]:
    side, precision, line = arg.split(" ", 2)
    runs.setdefault((side, precision), []).append(json.loads(line))
python_name = {"fp32": "--channels-last", "bf16": "--bf16 --channels-last"}
def median(side, precision, key):
    return statistics.median(r[key] for r in runs[(side, precision)])
pairs = [(p, p) for p in ("fp32", "bf16") if ("java", p) in runs]
if ("java", "bf16") in runs and ("python", "fp32") in runs:
    pairs.append(("bf16", "fp32"))
for java_p, python_p in pairs:
    n = len(runs[("java", java_p)])
    print(f"java {java_p} vs python {python_name[python_p]} (medians of {n})")
    print(f"  {'':<12}{'java':>10}{'python':>10}{'java/python':>13}")
    for key in ("train_img_s", "infer_img_s", "peak_rss_mb"):
        j = median("java", java_p, key); p = median("python", python_p, key)
        print(f"  {key:<12}{j:>10.2f}{p:>10.2f}{j / p:>13.3f}")
PY
