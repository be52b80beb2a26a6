#!/usr/bin/env bash
# Where a training step's and an inference batch's time go, Java against the PyTorch original: the engine's traces
# of one of each on each side (`bin/imet benchmark --profile`, bench/torch_profile.py), with the same allocator and
# OpenMP settings as bench/compare.sh, printed as tables of self time per operation. The traces stay in DIR for
# chrome://tracing.
#
# usage: bench/profile.sh [--arch resnet50] [--size 320] [--batch 16] [--memory-format channels-last]
#                         [--precision fp32|bf16] [--dir DIR]
# The Python side runs in the same memory format; --precision bf16 runs it with CPU autocast to bfloat16.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
arch=resnet50 size=320 batch=16 format=channels-last precision=fp32 dir="$root/work/profile"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --arch) arch="$2"; shift 2 ;;
    --size) size="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --memory-format) format="$2"; shift 2 ;;
    --precision) precision="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "profile.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
reference=""
for candidate in "$root/../shared/reference" "$root/../../shared/reference"; do
  [[ -f "$candidate/torch_throughput_models.py" ]] && { reference="$candidate"; break; }
done
[[ -n "$reference" ]] || { echo "profile.sh: ../shared/reference/torch_throughput_models.py not found" >&2; exit 1; }
/usr/bin/python3 -c 'import torch' 2>/dev/null || { echo "profile.sh: needs Debian's python3-torch" >&2; exit 1; }

source "$root/bench/same_settings.sh"
mkdir -p "$dir"
java_trace="$dir/java-$arch-$format-$precision.json" python_trace="$dir/python-$arch-$format-$precision.json"
python_flags=()
[[ "$format" == channels-last ]] && python_flags+=(--channels-last)
[[ "$precision" == bf16 ]] && python_flags+=(--bf16)
"$root/bin/imet" benchmark --arch "$arch" --size "$size" --batch-size "$batch" --memory-format "$format" \
    --precision "$precision" --warmup 2 --train-iters 1 --infer-iters 1 --profile "$java_trace" >/dev/null
/usr/bin/python3 "$root/bench/torch_profile.py" "$reference" "$python_trace" --arch "$arch" --size "$size" --batch "$batch" \
    --threads "$(nproc)" ${python_flags[@]+"${python_flags[@]}"}
echo "# one training step" >&2
/usr/bin/python3 "$root/bench/trace_summary.py" "$java_trace" "$python_trace"
echo "# one inference batch" >&2
/usr/bin/python3 "$root/bench/trace_summary.py" "${java_trace%.json}-inference.json" "${python_trace%.json}-inference.json"
