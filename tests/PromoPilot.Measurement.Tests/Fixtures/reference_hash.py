#!/usr/bin/python3
"""Independent reference for experiment assignment hashing (docs/experiment-assignment.md).

Writes assignment_hash_golden.json beside this script: for each (salt, unit id), the salt's seed, the unit's
32-bit hash, its bucket in [0, 10000) and its unit-interval value. The C# tests read the file; CI does not run
Python. MurmurHash3 x86_32 is written here from Austin Appleby's description (SMHasher), not from the C# code,
and checked first against published test vectors and SMHasher's verification value.

    /usr/bin/python3 tests/PromoPilot.Measurement.Tests/Fixtures/reference_hash.py
"""
import json
import os

MASK = 0xFFFFFFFF
BUCKETS = 10_000


def rotl(x, r):
    return ((x << r) | (x >> (32 - r))) & MASK


def scramble(k):
    k = (k * 0xCC9E2D51) & MASK
    k = rotl(k, 15)
    return (k * 0x1B873593) & MASK


def murmur3_32(data: bytes, seed: int) -> int:
    h = seed & MASK
    whole = len(data) - len(data) % 4
    for i in range(0, whole, 4):
        h ^= scramble(int.from_bytes(data[i:i + 4], "little"))
        h = rotl(h, 13)
        h = (h * 5 + 0xE6546B64) & MASK
    tail = data[whole:]
    if tail:
        h ^= scramble(int.from_bytes(tail, "little"))
    h ^= len(data)
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & MASK
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & MASK
    return h ^ (h >> 16)


def seed_of(salt: str) -> int:
    return murmur3_32(salt.encode("utf-8"), 0)


def unit_hash(salt: str, unit: str) -> int:
    return murmur3_32(unit.encode("utf-8"), seed_of(salt))


# Published vectors (the table widely quoted for MurmurHash3_x86_32: input bytes, seed, hash).
VECTORS = [
    (b"", 0, 0x00000000),
    (b"", 1, 0x514E28B7),
    (b"", 0xFFFFFFFF, 0x81F16F39),
    (b"\xff\xff\xff\xff", 0, 0x76293B50),
    (b"\x21\x43\x65\x87", 0, 0xF55B516B),
    (b"\x21\x43\x65\x87", 0x5082EDEE, 0x2362F9DE),
    (b"\x21\x43\x65", 0, 0x7E4A8634),
    (b"\x21\x43", 0, 0xA0F7B07A),
    (b"\x21", 0, 0x72661CF4),
    (b"\x00\x00\x00\x00", 0, 0x2362F9DE),
    (b"\x00\x00\x00", 0, 0x85F0B427),
    (b"\x00\x00", 0, 0x30F4C306),
    (b"\x00", 0, 0x514E28B7),
    (b"aaaa", 0x9747B28C, 0x5A97808A),
    (b"aaa", 0x9747B28C, 0x283E0130),
    (b"aa", 0x9747B28C, 0x5D211726),
    (b"a", 0x9747B28C, 0x7FA09EA6),
    (b"abcd", 0x9747B28C, 0xF0478627),
    (b"abc", 0x9747B28C, 0xC84A62DD),
    (b"ab", 0x9747B28C, 0x74875592),
    (b"Hello, world!", 0x9747B28C, 0x24884CBA),
    ("ππππππππ".encode("utf-8"), 0x9747B28C, 0xD58063C1),
    (b"The quick brown fox jumps over the lazy dog", 0x9747B28C, 0x2FA826CD),
]

# SMHasher's verification: hash keys {0}, {0,1}, ..., {0..254} (and the empty key) with seed 256 - length,
# then hash the 256 little-endian results with seed 0. Published value for MurmurHash3_x86_32: 0xB0F57EE3.
SMHASHER_VERIFICATION = 0xB0F57EE3


def smhasher_verification() -> int:
    key = bytes(range(256))
    hashes = b"".join(murmur3_32(key[:i], 256 - i).to_bytes(4, "little") for i in range(256))
    return murmur3_32(hashes, 0)


def main():
    for data, seed, expected in VECTORS:
        got = murmur3_32(data, seed)
        assert got == expected, (data, hex(seed), hex(got), hex(expected))
    assert smhasher_verification() == SMHASHER_VERIFICATION

    salts = ["checkout-offer", "global-holdout-2026", "layer:checkout", "", "Ölpreis-Aktion", "checkout-offer/1"]
    units = ["", "u", "42", "user-1", "user-12", "user-123", "user-1234", "customer-00017",
             "4f9c2e1a8b7d4c3e9f0a1b2c3d4e5f60", "jürgen@example.com", "顧客42", "🙂-visitor",
             "visitor-0", "visitor-28", "visitor-38",
             "a very long unit id that spans many four-byte blocks of murmur"]
    rows = []
    for salt in salts:
        for unit in units:
            h = unit_hash(salt, unit)
            rows.append({
                "salt": salt,
                "unit": unit,
                "seed": seed_of(salt),
                "hash": h,
                "bucket": (h * BUCKETS) >> 32,
                "unit_interval": h / 2**32,
            })
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "assignment_hash_golden.json")
    with open(out, "w", encoding="utf-8") as f:
        # One row per line: the file reads (and diffs) as a table.
        f.write('{"generator": "reference_hash.py", "buckets": %d, "rows": [\n' % BUCKETS)
        f.write(",\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
        f.write("\n]}\n")
    print(f"{len(VECTORS)} published vectors and the SMHasher verification value match; wrote {len(rows)} rows to {out}")


if __name__ == "__main__":
    main()
