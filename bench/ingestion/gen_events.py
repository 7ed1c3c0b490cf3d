#!/usr/bin/env python3
"""Writes a synthetic clickstream CSV for the ingestion benchmark (seeded: the same N gives the same file).

usage: gen_events.py ROWS OUT.csv
Columns: user_id,item_id,event_type,ts,quantity,unit_price,order_id,channel — 200k users, 20k items,
views/carts/purchases in a 70/20/10 mix, ISO timestamps over one year, an order id on purchases.
"""
import random, sys

rows, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(42)
types = ["view"] * 7 + ["add_to_cart"] * 2 + ["purchase"]
channels = ["web", "app", "email"]
with open(out, "w", buffering=1 << 22) as f:
    f.write("user_id,item_id,event_type,ts,quantity,unit_price,order_id,channel\n")
    chunk = []
    t0 = 1_672_531_200  # 2023-01-01
    import time
    for i in range(rows):
        user = rng.randrange(200_000)
        item = rng.randrange(20_000)
        kind = types[rng.randrange(10)]
        ts = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t0 + (i * 3) % 31_536_000))
        qty = rng.randrange(1, 4) if kind != "view" else 1
        price = f"{(item % 500) / 10 + 0.99:.2f}"
        order = f"o{i // 3}" if kind == "purchase" else ""
        chunk.append(f"c{user},sku{item},{kind},{ts},{qty},{price},{order},{channels[user % 3]}\n")
        if len(chunk) == 100_000:
            f.write("".join(chunk))
            chunk.clear()
    f.write("".join(chunk))
