// Reads JSON Lines {"entry": {...}, "price": "<decimal>", "cid": "<java cid>", "block": "<java hex>"} on stdin and,
// for each, encodes the entry with @ipld/dag-cbor and hashes it with multiformats' sha256, independently of the
// Java code. Prints one JSON line per input: {"line": n, "cid": js cid, "block": js hex, "match": bool}.
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { createInterface } from 'node:readline'

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity })
let n = 0
for await (const line of rl) {
  if (!line.trim()) continue
  n++
  const rec = JSON.parse(line)
  const obj = { ...rec.entry }
  // JSON numbers lose precision past 2^53: the price travels as a decimal string and becomes a BigInt here.
  const price = BigInt(rec.price)
  obj.price = price <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(price) : price
  if (obj.content !== undefined) obj.content = CID.parse(obj.content)
  const block = dagCbor.encode(obj)
  const cid = CID.create(1, dagCbor.code, await sha256.digest(block))
  const hex = Buffer.from(block).toString('hex')
  process.stdout.write(JSON.stringify({ line: n, cid: cid.toString(), block: hex, match: cid.toString() === rec.cid && hex === rec.block }) + '\n')
}
