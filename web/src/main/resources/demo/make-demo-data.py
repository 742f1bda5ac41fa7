#!/usr/bin/env python3
"""Builds the demo catalogs shipped with fedsearch from ../shared/data (deterministic; rerun to refresh).

usage: make-demo-data.py SHARED_DATA_DIR OUT_DIR

- npm.jsonl: the 1500 most-downloaded npm packages.
- debian.jsonl: 1500 Debian packages, every 40th of the index.
- bazaar.jsonl: a third platform re-listing 300 of those works (150 of each) under its own ids and prices.
Every entry gets a `content` CID (CIDv1, raw, sha2-256 of "<origin platform>/<id>"), standing for the file the
work is; a bazaar listing carries the same content CID as the original, so federated search shows one work hosted
twice. Prices (drops) are derived from a hash of the id; `popularity` is kept for the demo's simulated buyers.
An npm entry without a url gets its package page on npmjs.com; a bazaar listing a page of its own on bazaar.example
(a reserved name: the platform is made up), so a purchase can say where the work is served.
"""
import base64, hashlib, json, sys

src, out = sys.argv[1], sys.argv[2]

def content_cid(origin, ident):
    digest = hashlib.sha256(f"{origin}/{ident}".encode()).digest()
    raw = bytes([0x01, 0x55, 0x12, 0x20]) + digest
    return "b" + base64.b32encode(raw).decode().lower().rstrip("=")

def price(ident, lo=100_000, steps=50):
    h = int.from_bytes(hashlib.sha256(ident.encode()).digest()[:4], "big")
    return lo + (h % steps) * 100_000

def read(name):
    with open(f"{src}/{name}") as f:
        return [json.loads(l) for l in f if l.strip()]

npm = read("npm.jsonl")[:1500]
debian = read("debian.jsonl")[::40][:1500]
for e in npm + debian:
    e["content"] = content_cid(e["platform"], e["id"])
    e["price"] = price(e["platform"] + e["id"])
    if e["platform"] == "npm" and not e.get("url"):
        e["url"] = f"https://www.npmjs.com/package/{e['id']}"

bazaar = []
for n, e in enumerate(npm[::10][:150] + debian[::10][:150]):
    bazaar.append({
        "platform": "bazaar", "id": f"bz-{n:04d}", "title": e["title"], "description": e["description"],
        "creator": e["creator"], "tags": ["relisted", e["platform"]],
        "url": f"https://bazaar.example/items/bz-{n:04d}", "content": e["content"],
        "price": price("bazaar" + e["id"], lo=80_000, steps=40), "popularity": e.get("popularity", 0)})

for name, rows in (("npm.jsonl", npm), ("debian.jsonl", debian), ("bazaar.jsonl", bazaar)):
    with open(f"{out}/{name}", "w") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
