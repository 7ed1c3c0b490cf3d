"""Reference values for ClusterQualityTests, computed with scikit-learn (Debian's python3-sklearn 1.2.1).

Run: /usr/bin/python3 tests/PromoPilot.Features.Tests/Segments/reference_kmeans.py
The dataset is a formula, so the C# test rebuilds it without a data file:
  point i (0..n-1), coordinate j (0..d-1): (i % 3) * 1.5 + sin(1.3 * i + 0.7 * j)
Labelings: a = i % 3 (the generating groups), b = (7 * i) % 4 (unrelated to the data).
Prints silhouette and Calinski-Harabasz for both labelings and the adjusted Rand index of (a, b)
and of (a, c) with c = a except the first five points moved to group (a + 1) % 3.
"""
import math

import sklearn
from sklearn.metrics import adjusted_rand_score, calinski_harabasz_score, silhouette_score

n, d = 30, 3
X = [[(i % 3) * 1.5 + math.sin(1.3 * i + 0.7 * j) for j in range(d)] for i in range(n)]
a = [i % 3 for i in range(n)]
b = [(7 * i) % 4 for i in range(n)]
c = [((a[i] + 1) % 3) if i < 5 else a[i] for i in range(n)]

print("sklearn", sklearn.__version__)
print("silhouette_a", repr(silhouette_score(X, a)))
print("silhouette_b", repr(silhouette_score(X, b)))
print("calinski_harabasz_a", repr(calinski_harabasz_score(X, a)))
print("calinski_harabasz_b", repr(calinski_harabasz_score(X, b)))
print("ari_ab", repr(adjusted_rand_score(a, b)))
print("ari_ac", repr(adjusted_rand_score(a, c)))
