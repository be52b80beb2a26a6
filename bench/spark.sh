#!/usr/bin/env bash
# The Spark job against predict-test on the same images, model, TTA and cores:
#   bench/spark.sh [--arch resnet50] [--size 320] [--images 2000] [--tta 1] [--batch-size 16] [--cores 2]
#                  [--rounds 1] [--dir work/bench-spark]
# Makes sample data (the test images at --size px, PNG) and a model folder (two training steps, then validate,
# so that it has thresholds), then per round times `bin/imet predict-test` and `bin/imet-spark predict
# --master local[CORES]`, each a whole command from its start to its output written (JVM, model loading and, for
# Spark, the session), both held to the same CORES cores with taskset. Prints images/s of both and their ratio
# (Spark / predict-test), medians over the rounds; the job's own figure (from its summary line: model read to
# output written, without the session's start) is shown too.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
arch=resnet50 size=320 images=2000 tta=1 batch=16 cores=2 rounds=1 dir="$root/work/bench-spark"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --arch) arch="$2"; shift 2 ;;
    --size) size="$2"; shift 2 ;;
    --images) images="$2"; shift 2 ;;
    --tta) tta="$2"; shift 2 ;;
    --batch-size) batch="$2"; shift 2 ;;
    --cores) cores="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "spark.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
imet="$root/bin/imet"
spark="$root/bin/imet-spark"
data="$dir/data-$size-$images"
model="$dir/model-$arch-$size"
pin=()
if command -v taskset >/dev/null && [[ "$(nproc)" -gt "$cores" ]]; then pin=(taskset -c "0-$((cores - 1))"); fi
step() { printf '\n== %s\n' "$*" >&2; }

"$imet" --version >/dev/null  # builds core when needed
"$spark" --version >/dev/null # builds the spark module when needed
if [[ ! -f "$data/sample_submission.csv" ]]; then
  step "sample data: $images test images of $size px -> $data"
  "$imet" sample-data --out "$data" --train 64 --test "$images" --size "$size"
  "$imet" make-folds --data "$data" --n-folds 2 --min-label-count 1 >/dev/null
fi
if [[ ! -f "$model/model.json" ]] || ! grep -q thresholds "$model/model.json"; then
  step "model folder: $arch at $size px, two training steps, validated -> $model"
  rm -rf "$model"
  "$imet" train --data "$data" --fold 0 --arch "$arch" --size "$size" --epochs 1 --steps-per-epoch 2 \
    --batch-size 8 --mixup 0 --early-stop 0 --valid-every 1 --run-dir "$model" >/dev/null
  "$imet" validate --model "$model" --tta 1 --batch-size "$batch" >/dev/null
fi

now() { date +%s.%N; }
results=()
for round in $(seq 1 "$rounds"); do
  step "round $round/$rounds: predict-test, $images images, tta $tta, batch $batch, $cores cores"
  t0=$(now)
  "${pin[@]}" "$imet" predict-test --model "$model" --data "$data" --tta "$tta" --batch-size "$batch" \
    --workers "$cores" --out "$dir/test.npz" >&2
  t1=$(now)
  step "round $round/$rounds: imet-spark predict --master local[$cores]"
  summary=$("${pin[@]}" "$spark" predict --model "$model" --images "$data/test" --out "$dir/test.parquet" \
    --overwrite --master "local[$cores]" --tta "$tta" --batch-size "$batch")
  t2=$(now)
  echo "$summary" >&2
  job=$(sed -n 's/.* failed, \([0-9.]*\) images\/s.*/\1/p' <<<"$summary" | head -1)
  results+=("$(awk -v n="$images" -v a="$t0" -v b="$t1" -v c="$t2" -v job="$job" \
    'BEGIN { printf "%.3f %.3f %s\n", n / (b - a), n / (c - b), job }')")
done

printf '%s\n' "${results[@]}" | sort -n -k1 >/dev/null
median() { printf '%s\n' "${results[@]}" | awk -v k="$1" '{ print $k }' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
base=$(median 1); ours=$(median 2); job=$(median 3)
echo
echo "rounds (predict-test img/s, spark img/s, spark job img/s): ${results[*]}"
awk -v a="$arch" -v s="$size" -v n="$images" -v t="$tta" -v c="$cores" -v base="$base" -v ours="$ours" -v job="$job" \
  'BEGIN { printf "%s %d px, %d images, tta %d, %d cores: predict-test %.2f img/s, imet-spark %.2f img/s (job alone %.2f): ratio %.3f\n", a, s, n, t, c, base, ours, job, ours / base }'
