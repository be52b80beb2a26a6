#!/usr/bin/env bash
# Real-data check, side by side: resnet18 at 64 px trained from scratch for 10 epochs on the OpenMoji set
# (shared/datasets/build_openmoji.sh), thresholds chosen on a held-out tenth, test F2 against the true labels —
# once by the PyTorch reference (shared/reference/torch_imet.py, Debian's python3-torch) and once by imet.
# Usage: bench/openmoji.sh [WORKDIR (default /tmp/openmoji-bench)] [SHARED (default ../shared)]
# Needs: node/npm and librsvg2-bin (the data set), python3-torch + python3-torchvision (the reference).
# Takes about 10 minutes on 2 idle cores. Prints both test F2 figures at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-/tmp/openmoji-bench}"
shared="${2:-$root/../shared}"
imet="$root/bin/imet"
data="$work/openmoji"
solution="$work/openmoji_private/solution.csv"
run="$work/runs/resnet18-fold0"
export IMET_PLAIN_PROGRESS=1

[[ -f "$solution" ]] || bash "$shared/datasets/build_openmoji.sh" "$work" 64 >&2

echo "== PyTorch reference" >&2
(cd "$work" && /usr/bin/python3 "$shared/reference/torch_imet.py" "$data" "$solution" --arch resnet18 --size 64 \
  --epochs 10 --bs 64 --lr 1e-3 --max-labels 20) | tee "$work/torch_imet.log"

echo "== imet" >&2
"$imet" make-folds --data "$data" --n-folds 10 --out "$work/folds.csv" >&2
rm -rf "$run"
# the tool's defaults, only the budget given (docs/learning.md has the ablation, bench/ablation.sh its rows)
"$imet" train --data "$data" --folds "$work/folds.csv" --fold 0 --arch resnet18 --size 64 --epochs 10 \
  --max-labels 20 --run-dir "$run" >&2
"$imet" validate --model "$run" --tta 2 --max-labels 20 >&2
"$imet" predict-test --model "$run" --tta 2 >&2
"$imet" make-submission "$run/test.npz" --data "$data" --thresholds-from "$run" --out "$run/submission.csv" >&2
java_f2="$("$imet" score "$run/submission.csv" "$solution" | head -n 1)"

torch_f2="$(tail -n 1 "$work/torch_imet.log" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["test_f2"])')"
echo "test f2: pytorch reference $torch_f2, imet ${java_f2#f2 }"
