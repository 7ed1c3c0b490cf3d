"""Reference values for ClassificationMetrics from scikit-learn (Debian python3-sklearn 1.2).

Run: /usr/bin/python3 reference_classification_metrics.py > classification_metrics.json
"""
import json

import numpy as np
import sklearn
from sklearn.metrics import accuracy_score, brier_score_loss, log_loss, roc_auc_score

rng = np.random.default_rng(20240508)
cases = []
for case, (n, ties) in enumerate([(50, False), (200, True), (333, False), (120, True), (500, True)]):
    labels = rng.random(n) < rng.uniform(0.2, 0.8)
    labels[0], labels[1] = True, False
    signal = labels * rng.uniform(0.2, 1.5) + rng.normal(size=n)
    prob = 1 / (1 + np.exp(-signal))
    if ties:
        prob = np.round(prob, 1)
    prob = np.clip(prob, 0.001, 0.999)
    cases.append({
        "name": f"case{case}",
        "labels": [bool(v) for v in labels],
        "probabilities": [float(v) for v in prob],
        "auc": float(roc_auc_score(labels, prob)),
        "logloss": float(log_loss(labels, prob)),
        "brier": float(brier_score_loss(labels, prob)),
        "accuracy": float(accuracy_score(labels, prob >= 0.5)),
    })
print(json.dumps({"sklearn": sklearn.__version__, "cases": cases}))
