#!/usr/bin/env python3
"""Cut the bundled samples from ../shared/data (run from the repo root: python3 samples/make_samples.py).

online_retail: every line of 400 customers drawn with a fixed seed, plus the lines of 150 anonymous
invoices, in file order. hillstrom: the first 5,000 rows (the file is in random assignment order).
"""
import csv, gzip, io, random, sys
from pathlib import Path

shared = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
out = Path(__file__).resolve().parent

def write(path, header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write(buf.getvalue().encode("utf-8"))

with gzip.open(shared / "online_retail/online_retail.csv.gz", "rt", encoding="utf-8", newline="") as f:
    r = csv.reader(f)
    header = next(r)
    rows = list(r)
rng = random.Random(20261122)
customers = sorted({row[6] for row in rows if row[6]})
anonymous = sorted({row[0] for row in rows if not row[6]})
keep_customers = set(rng.sample(customers, 400))
keep_invoices = set(rng.sample(anonymous, 150))
sample = [row for row in rows if row[6] in keep_customers or (not row[6] and row[0] in keep_invoices)]
write(out / "online_retail_sample.csv.gz", header, sample)
print("online_retail_sample", len(sample))

with gzip.open(shared / "hillstrom/hillstrom.csv.gz", "rt", encoding="utf-8", newline="") as f:
    r = csv.reader(f)
    header = next(r)
    rows = [row for _, row in zip(range(5000), r)]
write(out / "hillstrom_sample.csv.gz", header, rows)
print("hillstrom_sample", len(rows))
