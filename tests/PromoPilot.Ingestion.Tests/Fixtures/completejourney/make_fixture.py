"""Cuts the completejourney test slice from ../shared/data/completejourney (CC0) with consistent ids.

Usage: python3 make_fixture.py SOURCE_FOLDER OUTPUT_FOLDER   (deterministic: fixed seed, sorted choices)
"""
import csv, gzip, io, random, sys, os

src, out = sys.argv[1], sys.argv[2]
rnd = random.Random(20170101)

def read(name):
    with gzip.open(os.path.join(src, name + '.csv.gz'), 'rt', newline='', encoding='utf-8') as f:
        r = csv.reader(f)
        header = next(r)
        return header, list(r)

def write(name, header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator='\n')
    w.writerow(header)
    w.writerows(rows)
    with gzip.GzipFile(os.path.join(out, name + '.csv.gz'), 'wb', mtime=0) as f:
        f.write(buf.getvalue().encode('utf-8'))

th, tx = read('transactions_sample')
ph, products = read('products')
dh, demo = read('demographics')
ch, camps = read('campaigns')
cdh, cdesc = read('campaign_descriptions')
kh, coupons = read('coupons')
rh, reds = read('coupon_redemptions')
mh, promos = read('promotions_sample')
pids = {p[0] for p in products}

# Transactions: quantity-0 lines (with and without a coupon), fuel lines, coupon lines, lines of products
# missing from the product file, and a random rest; whole baskets so orders are complete.
q0 = [t for t in tx if t[4] == '0']
pick = set()
for group, n in [([t for t in q0 if t[7] != '0'], 6), ([t for t in q0 if t[7] == '0'], 6),
                 ([t for t in tx if float(t[4]) > 10000], 4), ([t for t in tx if t[7] != '0' and t[4] != '0'], 12),
                 ([t for t in tx if t[3] not in pids and t[4] != '0'], 1), (tx, 200)]:
    pick.update(t[2] for t in rnd.sample(group, n))
tx_rows = [t for t in tx if t[2] in pick]
households = {t[0] for t in tx_rows}
# Households with demographics: those of the transactions plus 40 more.
demo_ids = {d[0] for d in demo}
extra = rnd.sample(sorted(demo_ids - households), 40)
households |= set(extra)
demo_rows = [d for d in demo if d[0] in households]
camp_rows = [c for c in camps if c[1] in households]
# Redemptions of these households, on coupons valid for at most 40 products.
size = {}
for k in coupons:
    size[(k[2], k[0])] = size.get((k[2], k[0]), 0) + 1
red_rows = [r for r in reds if r[0] in households and size[(r[2], r[1])] <= 40]
coupon_keys = {(r[2], r[1]) for r in red_rows}
# Plus a coupon with duplicate rows and a single-product coupon, not redeemed here.
seen, dups = set(), set()
for k in coupons:
    key = tuple(k)
    if key in seen:
        dups.add((k[2], k[0]))
    seen.add(key)
coupon_keys.add(sorted(c for c in dups if size[c] <= 30)[0])
coupon_keys.add(sorted(c for c, n in size.items() if n == 1)[0])
coupon_rows = [k for k in coupons if (k[2], k[0]) in coupon_keys]
promo_rows = rnd.sample(promos, 250)
promo_rows.sort(key=lambda m: (int(m[4]), m[1], m[0]))
# Products referenced, plus some with empty category levels.
used = {t[3] for t in tx_rows} | {k[1] for k in coupon_rows} | {m[0] for m in promo_rows}
partial = [p for p in products if p[4] == '' or p[5] == '']
used |= {p[0] for p in rnd.sample(partial, 10)}
product_rows = [p for p in products if p[0] in used]

os.makedirs(out, exist_ok=True)
write('transactions_sample', th, tx_rows)
write('products', ph, product_rows)
write('demographics', dh, demo_rows)
write('campaigns', ch, camp_rows)
write('campaign_descriptions', cdh, cdesc)
write('coupons', kh, coupon_rows)
write('coupon_redemptions', rh, red_rows)
write('promotions_sample', mh, promo_rows)
