#!/usr/bin/env python3
"""Independent reference counts for the Groceries association-rule test (pure Python, no packages).

Frequent itemsets are found level by level (Apriori candidate generation) but counted with tid-sets:
each itemset's baskets are a Python int used as a bit set, and the support count is the popcount of the
intersection. This shares no code or counting strategy with the C# miners (FP-tree, hashed candidates).

Usage: python3 tests/PromoPilot.Features.Tests/Rules/reference_groceries.py \
           ../shared/data/groceries/groceries_long.csv.gz [MIN_SUPPORT=0.01] [MIN_CONFIDENCE=0.5]

Definitions (Agrawal & Srikant 1994; lift as in arules): support(X) = count(X) / baskets; an itemset is
frequent when support >= MIN_SUPPORT; a rule A -> C (A, C disjoint, non-empty, A u C frequent) has
confidence = count(A u C) / count(A) and lift = confidence / support(C). Every split of every frequent
itemset is a candidate rule (consequents of any length). Item labels are taken as written in the file.
"""
import csv
import gzip
import itertools
import sys
from collections import defaultdict


def main():
    path = sys.argv[1]
    min_support = float(sys.argv[2]) if len(sys.argv) > 2 else 0.01
    min_confidence = float(sys.argv[3]) if len(sys.argv) > 3 else 0.5

    baskets = defaultdict(set)
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            baskets[row["basket_id"]].add(row["item"])
    n = len(baskets)
    tids = defaultdict(int)
    for index, items in enumerate(baskets.values()):
        for item in items:
            tids[item] |= 1 << index

    def frequent(count):
        return count / n >= min_support

    counts = {}
    level = {}
    for item, bits in tids.items():
        c = bin(bits).count("1")
        if frequent(c):
            level[(item,)] = bits
    k = 1
    while level:
        for itemset, bits in level.items():
            counts[itemset] = bin(bits).count("1")
        keys = sorted(level)
        following = {}
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                if a[:-1] != b[:-1]:
                    break
                candidate = a + (b[-1],)
                if any(sub not in level for sub in itertools.combinations(candidate, k)):
                    continue
                bits = level[a] & level[b]
                if frequent(bin(bits).count("1")):
                    following[candidate] = bits
        level = following
        k += 1

    by_length = defaultdict(int)
    for itemset in counts:
        by_length[len(itemset)] += 1
    print(f"baskets {n}")
    print(f"items {len(tids)}")
    print(f"min_support {min_support} frequent_itemsets {len(counts)} by_length {dict(sorted(by_length.items()))}")

    rules = []
    for itemset, count in counts.items():
        if len(itemset) < 2:
            continue
        for r in range(1, len(itemset)):
            for antecedent in itertools.combinations(itemset, r):
                consequent = tuple(i for i in itemset if i not in antecedent)
                confidence = count / counts[antecedent]
                if confidence < min_confidence:
                    continue
                lift = confidence / (counts[consequent] / n)
                rules.append((lift, confidence, count / n, antecedent, consequent))
    rules.sort(key=lambda r: (-r[0], -r[1], -r[2], r[3], r[4]))
    print(f"min_confidence {min_confidence} rules {len(rules)} with_one_item_consequent {sum(1 for r in rules if len(r[4]) == 1)}")
    for lift, confidence, support, antecedent, consequent in rules[:5]:
        print(f"{list(antecedent)} -> {list(consequent)} support {support:.10f} confidence {confidence:.10f} lift {lift:.10f}")


if __name__ == "__main__":
    main()
