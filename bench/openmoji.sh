#!/usr/bin/env bash
# Real-data check, side by side: resnet18 at 64 px trained from scratch for 10 epochs on the OpenMoji set
# (shared/datasets/build_openmoji.sh), thresholds chosen on a held-out tenth, test F2 against the true labels —
# once by the PyTorch reference (shared/reference/torch_imet.py, Debian's python3-torch) and once by imet.
# Usage: bench/openmoji.sh [--precision fp32|bf16|auto] [--no-reference] [WORKDIR (default /tmp/openmoji-bench)]
#                          [SHARED (default ../shared)]
# --precision goes to train, validate and predict-test (default: the tool's, auto); the run folder is
# WORKDIR/runs/resnet18-fold0-PRECISION. --no-reference reuses the reference's figures of an earlier call.
# Needs: node/npm and librsvg2-bin (the data set), python3-torch + python3-torchvision (the reference).
# Takes about 30 minutes on 2 idle cores. Prints both test F2 figures and both training speeds at the end: the
# reference's train_img_s, and imet's training steps over the whole run (waits for data included, checks not,
# as the reference runs none: status.json's train_images_per_second). Both sides run with the same allocator and
# OpenMP wait policy (bench/same_settings.sh: jemalloc, GOMP_SPINCOUNT=3000 unless OMP_WAIT_POLICY or
# GOMP_SPINCOUNT is set), as bin/imet gives the tool by default.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
precision=auto reference=1 positional=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --precision) precision="$2"; shift 2 ;;
    --no-reference) reference=""; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) positional+=("$1"); shift ;;
  esac
done
work="${positional[0]:-/tmp/openmoji-bench}"
shared="${positional[1]:-$root/../shared}"
imet="$root/bin/imet"
data="$work/openmoji"
solution="$work/openmoji_private/solution.csv"
run="$work/runs/resnet18-fold0-$precision"
export IMET_PLAIN_PROGRESS=1
source "$root/bench/same_settings.sh"
echo "# both sides: $bench_settings" >&2

[[ -f "$solution" ]] || bash "$shared/datasets/build_openmoji.sh" "$work" 64 >&2

if [[ -n "$reference" || ! -f "$work/torch_imet.log" ]]; then
  echo "== PyTorch reference" >&2
  (cd "$work" && /usr/bin/python3 "$shared/reference/torch_imet.py" "$data" "$solution" --arch resnet18 --size 64 \
    --epochs 10 --bs 64 --lr 1e-3 --max-labels 20) | tee "$work/torch_imet.log"
fi

echo "== imet" >&2
"$imet" make-folds --data "$data" --n-folds 10 --out "$work/folds.csv" >&2
rm -rf "$run"
# the tool's defaults, only the budget given (docs/learning.md has the ablation, bench/ablation.sh its rows)
"$imet" train --data "$data" --folds "$work/folds.csv" --fold 0 --arch resnet18 --size 64 --epochs 10 \
  --max-labels 20 --precision "$precision" --run-dir "$run" >&2
"$imet" validate --model "$run" --tta 2 --max-labels 20 --precision "$precision" >&2
"$imet" predict-test --model "$run" --tta 2 --precision "$precision" >&2
"$imet" make-submission "$run/test.npz" --data "$data" --thresholds-from "$run" --out "$run/submission.csv" >&2
java_f2="$("$imet" score "$run/submission.csv" "$solution" | head -n 1)"

torch_field() { tail -n 1 "$work/torch_imet.log" | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
read -r java_img_s used <<<"$(/usr/bin/python3 -c '
import json, sys
status = json.load(open(sys.argv[1] + "/status.json")); config = json.load(open(sys.argv[1] + "/config.json"))
print(round(status["train_images_per_second"], 1), config["config"]["execution"]["precision"])' "$run")"
torch_img_s="$(torch_field train_img_s)"
echo "test f2: pytorch reference $(torch_field test_f2), imet ${java_f2#f2 } ($used)"
echo "training img/s over the run: pytorch reference $torch_img_s, imet $java_img_s" \
  "($(/usr/bin/python3 -c "print(round($java_img_s / $torch_img_s, 2))")x)"
