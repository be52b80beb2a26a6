#!/usr/bin/env bash
# The Spark job against predict-test on the same images, model, TTA and cores:
#   bench/spark.sh [--arch resnet50] [--size 320] [--images 2000] [--tta 1] [--batch-size 16] [--cores 2]
#                  [--rounds 1] [--dir work/bench-spark]
# Makes sample data (the test images at --size px, PNG) and a model folder (two training steps, then validate,
# so that it has thresholds), then per round times `bin/imet predict-test` and `bin/imet-spark predict
# --master local[CORES]` (in turns: the order alternates between rounds), each a whole command from its start to
# its output written (JVM, model loading and, for Spark, the session), both held to the same CORES cores with
# taskset. Prints images/s of both, their ratio (Spark / predict-test) and peak resident memory, medians over the
# rounds; the job's own figure (its summary line: model read to output written, without the session's start) too.
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

# Each command timed whole, with its peak resident memory (MB), the order alternating between rounds.
run_predict_test() {
  /usr/bin/time -f "%e %M" -o "$dir/time.txt" "${pin[@]}" "$imet" predict-test --model "$model" --data "$data" \
    --tta "$tta" --batch-size "$batch" --workers "$cores" --out "$dir/test.npz" >&2
  read -r base_s base_kb < "$dir/time.txt"
}
run_spark() {
  /usr/bin/time -f "%e %M" -o "$dir/time.txt" "${pin[@]}" "$spark" predict --model "$model" --images "$data/test" \
    --out "$dir/test.parquet" --overwrite --master "local[$cores]" --tta "$tta" --batch-size "$batch" > "$dir/summary.txt"
  read -r ours_s ours_kb < "$dir/time.txt"
  cat "$dir/summary.txt" >&2
}
results=()
for round in $(seq 1 "$rounds"); do
  step "round $round/$rounds: predict-test and imet-spark predict --master local[$cores], $images images, tta $tta, batch $batch, $cores cores"
  if (( round % 2 == 1 )); then run_predict_test; run_spark; else run_spark; run_predict_test; fi
  job=$(sed -n 's/.* failed, \([0-9.]*\) images\/s.*/\1/p' "$dir/summary.txt" | head -1)
  results+=("$(awk -v n="$images" -v a="$base_s" -v b="$ours_s" -v job="$job" -v ka="$base_kb" -v kb="$ours_kb" \
    'BEGIN { printf "%.3f %.3f %s %d %d", n / a, n / b, job, ka / 1024, kb / 1024 }')")
  echo "round $round: ${results[-1]}" >&2
done

median() { printf '%s\n' "${results[@]}" | awk -v k="$1" '{ print $k }' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo
echo "rounds (predict-test img/s, imet-spark img/s, the job alone img/s, peak RSS MB of each): $(printf '[%s] ' "${results[@]}")"
awk -v a="$arch" -v s="$size" -v n="$images" -v t="$tta" -v c="$cores" -v base="$(median 1)" -v ours="$(median 2)" \
  -v job="$(median 3)" -v ka="$(median 4)" -v kb="$(median 5)" \
  'BEGIN { printf "%s %d px, %d images, tta %d, %d cores: predict-test %.2f img/s, imet-spark %.2f img/s (the job alone %.2f), ratio %.3f; peak RSS %d MB and %d MB\n", a, s, n, t, c, base, ours, job, ours / base, ka, kb }'
