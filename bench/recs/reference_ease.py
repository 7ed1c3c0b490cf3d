#!/usr/bin/python3
"""Reference numbers for `promopilot recs eval` on MovieLens-100K (numpy/scipy from Debian; run with /usr/bin/python3).

Same protocol as our CLI: every rating is an implicit interaction of weight 1; users and items are indices id - 1;
per-user stratified split where each user's interactions are ordered by key(seed, user, item) (SplitMix64, the
same function as RecommendationSplits.ShuffleKey) and the first round(0.75 n) go to train (Python round = half to
even); all unseen items ranked; k = 10; metrics as src/PromoPilot.Models/Evaluation/RankingMetrics.cs (MAP is the
Microsoft recommenders map_at_k: sum of precision at hits / number of relevant items).

Models: most-popular; item-kNN cosine with k = 100 neighbours (scores x_u . S, S keeping each item's 100 best
neighbours per row, as the implicit library does); EASE (Steck 2019) with lambda chosen on a validation split carved
from train (the same stratified split of the train set with seed + 1000), never the test split.

Usage: reference_ease.py DATA_DIR [lambda=L] SEED [SEED ...]  -> one JSON line per model and seed on stdout.
With lambda=L, EASE uses that lambda (issue 7's reference row: 300) instead of choosing one on the validation split.
"""
import gzip, json, os, sys, time
import numpy as np

M = (1 << 64) - 1
K = 10
LAMBDAS = [50, 100, 200, 300, 500, 800, 1200]


def key(seed, user, item):
    z = ((seed * 0x9E3779B97F4A7C15) + ((user << 32) | item)) & M
    z = (z + 0x9E3779B97F4A7C15) & M
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return z ^ (z >> 31)


def read(folder):
    path = os.path.join(folder, "u.data")
    opener = open if os.path.exists(path) else gzip.open
    rows = []
    with opener(path if os.path.exists(path) else path + ".gz", "rt") as f:
        for line in f:
            u, i, _, _ = line.split("\t")
            rows.append((int(u) - 1, int(i) - 1))
    return rows


def split(rows, seed, train_fraction=0.75):
    by_user = {}
    for u, i in rows:
        by_user.setdefault(u, []).append(i)
    train, test = [], []
    for u, items in by_user.items():
        items.sort(key=lambda i: key(seed, u, i))
        n = round(train_fraction * len(items))
        train += [(u, i) for i in items[:n]]
        test += [(u, i) for i in items[n:]]
    return train, test


def dense(pairs, users, items):
    x = np.zeros((users, items), dtype=np.float64)
    for u, i in pairs:
        x[u, i] = 1.0
    return x


def metrics(scores, train_x, test_pairs, popularity, users_total):
    scores = scores.copy()
    scores[train_x > 0] = -np.inf
    truth = {}
    for u, i in test_pairs:
        truth.setdefault(u, set()).add(i)
    p = r = nd = ap = 0.0
    covered = set()
    for u, rel in truth.items():
        row = scores[u]
        top = np.argpartition(-row, K)[:K]
        top = top[np.lexsort((top, -row[top]))]
        hits = 0
        dcg = apu = 0.0
        for rank, item in enumerate(top):
            covered.add(int(item))
            if item in rel:
                hits += 1
                dcg += 1 / np.log2(rank + 2)
                apu += hits / (rank + 1)
        idcg = sum(1 / np.log2(j + 2) for j in range(min(len(rel), K)))
        p += hits / K
        r += hits / len(rel)
        nd += dcg / idcg
        ap += apu / len(rel)
    n = len(truth)
    return dict(precision=p / n, recall=r / n, ndcg=nd / n, map=ap / n, coverage=len(covered) / scores.shape[1], evaluated_users=n)


def ease(x, lam):
    g = x.T @ x
    g[np.diag_indices_from(g)] += lam
    p = np.linalg.inv(g)
    b = -p / np.diag(p)
    b[np.diag_indices_from(b)] = 0
    return x @ b


def itemknn(x, k=100):
    norms = np.sqrt(x.sum(axis=0))
    s = x.T @ x
    denom = np.outer(norms, norms)
    s = np.divide(s, denom, out=np.zeros_like(s), where=denom > 0)
    np.fill_diagonal(s, 0)
    keep = np.argpartition(-s, k, axis=1)[:, :k]
    pruned = np.zeros_like(s)
    rows = np.arange(s.shape[0])[:, None]
    pruned[rows, keep] = s[rows, keep]
    return x @ pruned


def main():
    folder = sys.argv[1]
    fixed = [float(a.split("=", 1)[1]) for a in sys.argv[2:] if a.startswith("lambda=")]
    seeds = [int(s) for s in sys.argv[2:] if not s.startswith("lambda=")]
    rows = read(folder)
    users = max(u for u, _ in rows) + 1
    items = max(i for _, i in rows) + 1
    for seed in seeds:
        train, test = split(rows, seed)
        x = dense(train, users, items)
        popularity = x.sum(axis=0)

        t = time.perf_counter()
        scores = np.tile(popularity, (users, 1))
        fit = time.perf_counter() - t
        print(json.dumps(dict(algo="ref-pop", seed=seed, fit_seconds=fit, **metrics(scores, x, test, popularity, users))), flush=True)

        t = time.perf_counter()
        scores = itemknn(x)
        fit = time.perf_counter() - t
        print(json.dumps(dict(algo="ref-itemknn", seed=seed, fit_seconds=fit, **metrics(scores, x, test, popularity, users))), flush=True)

        t = time.perf_counter()
        if fixed:
            best = fixed[0]
        else:
            inner_train, inner_val = split(train, seed + 1000)
            xi = dense(inner_train, users, items)
            best = max(LAMBDAS, key=lambda lam: metrics(ease(xi, lam), xi, inner_val, None, users)["ndcg"])
        tune = time.perf_counter() - t
        t = time.perf_counter()
        scores = ease(x, best)
        fit = time.perf_counter() - t
        print(json.dumps(dict(algo="ref-ease" + (f" (lambda {best:g})" if fixed else ""), seed=seed, fit_seconds=fit, tune_seconds=tune, chosen_lambda=best, **metrics(scores, x, test, popularity, users))), flush=True)


if __name__ == "__main__":
    main()
