#!/usr/bin/env bash
# Uplift on Hillstrom, Womens E-Mail vs No E-Mail, outcome visit, 70/30 splits stratified by arm and outcome,
# seeds 0-4: our five learners (LightGBM base learners) and scikit-learn's S-learner (HistGradientBoosting) and
# class transformation (logistic regression) on the same splits. Means over seeds (sd in the JSON).
# Usage: bench/uplift/run.sh [FILE] [OUTCOME]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
file="${1:-$root/../shared/data/hillstrom/hillstrom.csv.gz}"
[ -f "$file" ] || file=/work/shared/data/hillstrom/hillstrom.csv.gz
outcome="${2:-visit}"
"$root/promopilot" --help >/dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
{
  for learner in s t x dr ct; do
    nice "$root/promopilot" uplift eval --dataset hillstrom --input "$file" --treatment "Womens E-Mail" --control "No E-Mail" \
      --outcome "$outcome" --learner "$learner" --seeds 5 --json 2>/dev/null | tr -d '\n '; echo
  done
  nice /usr/bin/python3 "$root/bench/uplift/reference_sklearn.py" "$file" --outcome "$outcome" --seeds 5
} | /usr/bin/python3 -c '
import json, sys
print("| learner | normalized Qini | AUUC | uplift@30% by group | uplift@30% overall | fit s (mean) |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for line in sys.stdin:
    r = json.loads(line)
    auuc = "n/a" if r.get("auuc") is None else "%.4f" % r["auuc"]
    print("| %s | %.4f ± %.4f | %s | %.4f ± %.4f | %.4f | %.2f |" % (r["learner"], r["qini"], r["qini_sd"], auuc, r["uplift_at_30"], r["uplift_at_30_sd"], r["uplift_at_30_overall"], r["fit_seconds"]))
'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
