#!/usr/bin/env bash
# One row of the learning ablation (docs/learning.md) for one seed, on the OpenMoji set: resnet18 at 64 px from
# scratch, 10 epochs, fold 0 of 10 for the thresholds, 2 TTA views, at most 20 labels, make-submission
# --thresholds-from, test F2 against the true labels. Appends "row seed test_f2 valid_f2 train_img_s seconds" to
# WORK/ablation.tsv.
# Usage: bench/ablation.sh WORK ROW SEED [-- extra train flags]
#   ROW torch-baseline | torch-recipe: shared/reference/torch_imet.py, plain and with the original's recipe
#   ROW rule:BASE: no training; a copy of BASE's run for SEED is validated again with --per-group and the extra
#       flags (validate's, e.g. --label-thresholds 5), then make-submission and score.
#   ROW any other name: imet train with the row's flags below (extra flags appended), then validate
#       (--per-group unless the row says one threshold), predict-test, make-submission, score. The row "matched"
#       is scored twice from one training: with one threshold, and as "matched-groups" with one per group.
# WORK must hold the OpenMoji set (bash shared/datasets/build_openmoji.sh WORK 64). Set IMET to use another build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$1"; row="$2"; seed="$3"; shift 3
[[ "${1:-}" == "--" ]] && shift
extra=("$@")
imet="${IMET:-$root/bin/imet}"
shared="${SHARED:-$root/../shared}"
data="$work/openmoji"
solution="$work/openmoji_private/solution.csv"
export IMET_PLAIN_PROGRESS=1
# The same allocator and OpenMP policy as bin/imet on the Python side (speed only; the scores don't depend on them).
source "$root/bench/same_settings.sh"
[[ -f "$solution" ]] || { echo "ablation.sh: no OpenMoji set in $work (bash shared/datasets/build_openmoji.sh $work 64)" >&2; exit 2; }

# The flags of each row. "matched" is the tool with flags matched to the plain PyTorch baseline; each following row
# takes back one difference, in order, until "old-defaults" (the focal loss; on commit 502eef1 and before, that was
# "defaults"); "defaults" is no flags but the budget. validate_flags: the
# threshold rule of the row (one threshold, or one per group).
# The rows before the defaults of 2026-12-02 (weight decay 0.05, no mixup) pin the earlier values of both, and every
# row before the defaults of 2026-12-03 pins PyTorch's initialisation of the classifier's biases (--head-bias none).
pytorch_init=()
"$imet" train --help 2>/dev/null | grep -q -- 'prior|none' && pytorch_init=(--head-bias none)
before=(--weight-decay 1e-4 "${pytorch_init[@]}")
matched=("${before[@]}" --batch-size 64 --loss bce --mixup 0 --early-stop 0 --valid-every 1)
per_group=(--per-group)
# One threshold: validate's default before it chose one per group (the builds this table ran on had no
# --no-per-group).
one_threshold=()
"$imet" validate --help 2>/dev/null | grep -q -- '--\[no-\]per-group' && one_threshold=(--no-per-group)
case "$row" in
  matched)        train_flags=("${matched[@]}"); per_group=("${one_threshold[@]}") ;;
  selection)      train_flags=("${before[@]}" --batch-size 64 --loss bce --mixup 0) ;; # checks every half epoch, early stop 4
  focal)          train_flags=("${before[@]}" --batch-size 64 --loss focal --mixup 0) ;;
  mixup)          train_flags=("${before[@]}" --batch-size 64 --loss focal --mixup 0.2) ;;
  old-defaults)   train_flags=("${before[@]}" --loss focal --mixup 0.2) ;;     # the defaults before docs/learning.md
  asl)            train_flags=("${before[@]}" --mixup 0.2) ;;                 # the defaults from ASL to 2026-12-02
  mixup0)         train_flags=("${before[@]}") ;;                             # asl without mixup
  pytorch-init)   train_flags=("${pytorch_init[@]}") ;;                       # the defaults of 2026-12-02
  defaults)       train_flags=() ;;
  torch-*)        train_flags=() ;;
  *)              train_flags=() ;;                                           # a new row: its flags come as extras
esac

start=$(date +%s.%N)
if [[ "$row" == torch-* ]]; then
  recipe=()
  [[ "$row" == torch-recipe ]] && recipe=(--loss focal --mixup 0.2 --per-group)
  log="$work/$row-s$seed.log"
  (cd "$work" && /usr/bin/python3 "$shared/reference/torch_imet.py" "$data" "$solution" --arch resnet18 --size 64 \
    --epochs 10 --bs 64 --lr 1e-3 --max-labels 20 --seed "$seed" "${recipe[@]}") > "$log"
  read -r test_f2 valid_f2 img_s < <(tail -n 1 "$log" | /usr/bin/python3 -c \
    'import json,sys; r=json.load(sys.stdin); print(r["test_f2"], r.get("valid_f2", "nan"), r.get("train_img_s", "nan"))')
elif [[ "$row" == rule:* ]]; then
  base="$work/runs/${row#rule:}-s$seed"; run="$base-rule-$(echo "${extra[*]}" | tr -c 'a-z0-9.\n' _)"
  rm -rf "$run"; cp -r "$base" "$run"
  "$imet" validate --model "$run" --tta 2 --max-labels 20 --per-group "${extra[@]}" > "$run.validate.log" 2>&1
  "$imet" make-submission "$run/test.npz" --data "$data" --thresholds-from "$run" --out "$run/submission.csv" >&2
  test_f2="$("$imet" score "$run/submission.csv" "$solution" | head -n 1)"; test_f2="${test_f2#f2 }"
  valid_f2="$(grep -oE '^f2 [0-9.]+' "$run.validate.log" | tail -n 1 | cut -d' ' -f2)"
else
  [[ -f "$work/folds.csv" ]] || "$imet" make-folds --data "$data" --n-folds 10 --out "$work/folds.csv" >&2
  run="$work/runs/$row$(echo "${extra[*]:+ ${extra[*]}}" | tr -c 'a-z0-9.\n' _)-s$seed"
  rm -rf "$run"; mkdir -p "$work/runs"
  "$imet" train --data "$data" --folds "$work/folds.csv" --fold 0 --arch resnet18 --size 64 --epochs 10 \
    --max-labels 20 --seed "$seed" --run-dir "$run" "${train_flags[@]}" "${extra[@]}" > "$run.train.log" 2>&1
  "$imet" validate --model "$run" --tta 2 --max-labels 20 "${per_group[@]}" > "$run.validate.log" 2>&1
  "$imet" predict-test --model "$run" --tta 2 > "$run.predict.log" 2>&1
  "$imet" make-submission "$run/test.npz" --data "$data" --thresholds-from "$run" --out "$run/submission.csv" >&2
  test_f2="$("$imet" score "$run/submission.csv" "$solution" | head -n 1)"; test_f2="${test_f2#f2 }"
  valid_f2="$(grep -oE '^f2 [0-9.]+' "$run.validate.log" | tail -n 1 | cut -d' ' -f2)"
  # Images per second of the training steps over the whole run (data stalls included, checks excluded).
  img_s="$(grep -o '[0-9.]* img/s' "$run.train.log" | tail -n 1 | cut -d' ' -f1)"
fi
seconds=$(echo "$(date +%s.%N) - $start" | bc)
printf '%s\t%s\t%s\t%s\t%s\t%.0f\n' "$row${extra:+ ${extra[*]}}" "$seed" "$test_f2" "${valid_f2:-nan}" "${img_s:-nan}" \
  "$seconds" | tee -a "$work/ablation.tsv"
if [[ "$row" == matched ]]; then
  "$imet" validate --model "$run" --tta 2 --max-labels 20 --per-group > "$run.validate-groups.log" 2>&1
  "$imet" make-submission "$run/test.npz" --data "$data" --thresholds-from "$run" --out "$run/submission-groups.csv" >&2
  test_f2="$("$imet" score "$run/submission-groups.csv" "$solution" | head -n 1)"; test_f2="${test_f2#f2 }"
  valid_f2="$(grep -oE '^f2 [0-9.]+' "$run.validate-groups.log" | tail -n 1 | cut -d' ' -f2)"
  printf '%s\t%s\t%s\t%s\t%s\t%.0f\n' "matched-groups" "$seed" "$test_f2" "${valid_f2:-nan}" "${img_s:-nan}" \
    "$seconds" | tee -a "$work/ablation.tsv"
fi
