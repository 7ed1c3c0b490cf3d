#!/usr/bin/env python3
"""Writes the benchmark's 20 live campaigns with 5 offers each (100 offers) as a JSON array, seeded."""
import json, random, sys

random.seed(42)
types = [
    lambda i: {"type": "amount_off", "amount": random.choice([3, 5, 10, 15])},
    lambda i: {"type": "percent_off", "percent": random.choice([0.05, 0.1, 0.15, 0.2]), "cap": random.choice([10, 20, 50])},
    lambda i: {"type": "spend_threshold", "tiers": [{"threshold": 50, "save": 5}, {"threshold": 100, "save": 15}]},
    lambda i: {"type": "free_shipping", "amount": 4.95},
    lambda i: {"type": "buy_x_get_y", "buy_quantity": 2, "free_quantity": 1, "scope": {"categories": ["HOME"]}, "expected_cost": 6},
]
audiences = [None, "recency > 3", "history > 100", "newbie = 1 or womens = 1", "mens = 1 and history between 50 and 500"]
campaigns = []
for c in range(20):
    offers = []
    for o in range(5):
        offer = {"id": f"c{c:02d}o{o}", "name": f"Offer {c}.{o}", "priority": random.randint(0, 3)}
        offer.update(types[(c + o) % len(types)](o))
        offers.append(offer)
    campaign = {"id": f"bench{c:02d}", "name": f"Bench campaign {c}", "status": "live", "budget": 1_000_000_000,
                "holdout_fraction": 0.1, "priority": random.randint(0, 5), "offers": offers,
                "channels": ["web", "app"] if c % 4 else None}
    if audiences[c % len(audiences)]:
        campaign["audience"] = audiences[c % len(audiences)]
    campaigns.append({k: v for k, v in campaign.items() if v is not None})
json.dump(campaigns, sys.stdout, indent=1)
