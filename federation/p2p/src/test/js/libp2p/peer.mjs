#!/usr/bin/env node
// A js-libp2p 3.x peer the Java p2p stack is tested and benchmarked against. It listens on 127.0.0.1, prints
// {"addr": "/ip4/127.0.0.1/tcp/N/p2p/ID", ...} on its first stdout line, then executes JSON commands, one per stdin
// line ({"id": 1, "op": "ping", ...}), answering one JSON line each ({"id": 1, "ok": true, ...}). Exits when stdin
// closes. Options: --kad=PROTOCOL (default /ipfs/kad/1.0.0), --seed=HEX (32-byte Ed25519 seed).
//
// Configured like the peer the wire facts were verified with: kad-dht in server mode with a pass-through peer-info
// mapper (so loopback addresses count) and the inbound connection rate limit relaxed.

// Node 20 lacks Promise.withResolvers, which js-libp2p 3.x calls.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function () {
    let resolve, reject
    const promise = new Promise((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}

const { createLibp2p } = await import('libp2p')
const { tcp } = await import('@libp2p/tcp')
const { noise } = await import('@chainsafe/libp2p-noise')
const { yamux } = await import('@chainsafe/libp2p-yamux')
const { identify, identifyPush } = await import('@libp2p/identify')
const { ping } = await import('@libp2p/ping')
const { kadDHT, passthroughMapper } = await import('@libp2p/kad-dht')
const { generateKeyPairFromSeed } = await import('@libp2p/crypto/keys')
const { peerIdFromString } = await import('@libp2p/peer-id')
const { multiaddr } = await import('@multiformats/multiaddr')
const { lpStream } = await import('@libp2p/utils')
const { CID } = await import('multiformats/cid')
const crypto = await import('node:crypto')
const readline = await import('node:readline')

const ECHO = '/fedsearch/echo/1.0.0'
const SINK = '/fedsearch/sink/1.0.0'
const MAX_MESSAGE = 8 * 1024 * 1024
const args = Object.fromEntries(process.argv.slice(2).filter(a => a.startsWith('--')).map(a => {
  const i = a.indexOf('=')
  return i > 0 ? [a.slice(2, i), a.slice(i + 1)] : [a.slice(2), true]
}))

const node = await createLibp2p({
  ...(args.seed ? { privateKey: await generateKeyPairFromSeed('Ed25519', Buffer.from(args.seed, 'hex')) } : {}),
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  connectionManager: { inboundConnectionThreshold: 10000, maxIncomingPendingConnections: 1000 },
  services: {
    identify: identify(),
    identifyPush: identifyPush(),
    ping: ping(),
    dht: kadDHT({ protocol: args.kad ?? '/ipfs/kad/1.0.0', clientMode: false, peerInfoMapper: passthroughMapper })
  }
})

// echo: read one length-prefixed message, answer with the same bytes, half-close.
await node.handle(ECHO, async (stream) => {
  const lp = lpStream(stream, { maxDataLength: MAX_MESSAGE })
  const msg = await lp.read({ signal: AbortSignal.timeout(30000) })
  await lp.write(msg.subarray())
  await stream.close()
}, { maxInboundStreams: 256, maxOutboundStreams: 256 })

// sink: count bytes until the writer half-closes, then answer with the count as an 8-byte big-endian number.
await node.handle(SINK, async (stream) => {
  let n = 0
  for await (const buf of stream) n += buf.byteLength
  const out = Buffer.alloc(8); out.writeBigUInt64BE(BigInt(n))
  stream.send(out)
  await stream.close()
}, { maxInboundStreams: 16, maxOutboundStreams: 16 })

async function echoOnce (target, size, timeoutMs = 30000) {
  const signal = AbortSignal.timeout(timeoutMs)
  const stream = await node.dialProtocol(target, ECHO, { signal })
  const lp = lpStream(stream, { maxDataLength: MAX_MESSAGE })
  const msg = crypto.randomBytes(size)
  await lp.write(msg, { signal })
  await stream.close({ signal }).catch(() => {})
  const back = await lp.read({ signal })
  return Buffer.compare(Buffer.from(back.subarray()), msg) === 0
}

function target (cmd) {
  return cmd.addr ? multiaddr(cmd.addr) : peerIdFromString(cmd.peer)
}

const ops = {
  async dial (cmd) {
    const t0 = performance.now()
    const conn = await node.dial(target(cmd), { signal: AbortSignal.timeout(10000) })
    return { peer: conn.remotePeer.toString(), ms: performance.now() - t0 }
  },
  async ping (cmd) {
    const rtts = []
    for (let i = 0; i < (cmd.count ?? 1); i++) {
      // js allows one outbound ping stream per connection and its own services (kad, connection monitor) ping too
      for (let attempt = 0; ; attempt++) {
        try {
          rtts.push(await node.services.ping.ping(target(cmd), { signal: AbortSignal.timeout(10000) }))
          break
        } catch (err) {
          if (err?.name !== 'TooManyOutboundProtocolStreamsError' || attempt >= 50) throw err
          await new Promise(resolve => setTimeout(resolve, 50))
        }
      }
    }
    return { rtts }
  },
  async echo (cmd) {
    const results = []
    for (const size of cmd.sizes) results.push({ size, ok: await echoOnce(target(cmd), size) })
    return { results }
  },
  async concurrent (cmd) {
    const all = await Promise.all(Array.from({ length: cmd.n }, (_, i) => echoOnce(target(cmd), cmd.size + i)))
    return { okCount: all.filter(Boolean).length }
  },
  // serve one more protocol (a no-op handler): js then pushes its new identify to connected peers (identify/push)
  async handle (cmd) {
    await node.handle(cmd.protocol, async (stream) => { await stream.close() })
    return {}
  },
  async unhandle (cmd) {
    await node.unhandle(cmd.protocol)
    return {}
  },
  async peerInfo (cmd) {
    const p = await node.peerStore.get(peerIdFromString(cmd.peer))
    const agent = p.metadata.get('AgentVersion')
    return {
      protocols: p.protocols,
      addrs: p.addresses.map(a => a.multiaddr.toString()),
      agentVersion: agent ? Buffer.from(agent).toString() : null
    }
  },
  async waitIdentified (cmd) {
    const deadline = Date.now() + (cmd.timeoutMs ?? 10000)
    while (Date.now() < deadline) {
      try {
        const p = await node.peerStore.get(peerIdFromString(cmd.peer))
        if (p.protocols.length > 0) return { protocols: p.protocols }
      } catch {}
      await new Promise(resolve => setTimeout(resolve, 50))
    }
    throw new Error('peer not identified in time')
  },
  async provide (cmd) {
    await node.contentRouting.provide(CID.parse(cmd.cid), { signal: AbortSignal.timeout(cmd.timeoutMs ?? 20000) })
    return {}
  },
  async findProviders (cmd) {
    const found = []
    try {
      for await (const p of node.contentRouting.findProviders(CID.parse(cmd.cid), { signal: AbortSignal.timeout(cmd.timeoutMs ?? 15000) })) {
        found.push({ id: p.id.toString(), addrs: p.multiaddrs.map(String) })
        if (found.length >= (cmd.limit ?? 20)) break
      }
    } catch (err) { if (found.length === 0) throw err }
    return { providers: found }
  },
  async findPeer (cmd) {
    const p = await node.peerRouting.findPeer(peerIdFromString(cmd.peer), { signal: AbortSignal.timeout(cmd.timeoutMs ?? 15000) })
    return { id: p.id.toString(), addrs: p.multiaddrs.map(String) }
  },
  // FIND_NODE lookup through the DHT (never answered from the local peer store)
  async closestPeers (cmd) {
    const found = []
    const key = peerIdFromString(cmd.peer).toMultihash().bytes
    for await (const p of node.peerRouting.getClosestPeers(key, { signal: AbortSignal.timeout(cmd.timeoutMs ?? 15000) })) {
      found.push({ id: p.id.toString(), addrs: p.multiaddrs.map(String) })
    }
    return { peers: found }
  },
  async routingTable () {
    return { size: node.services.dht.routingTable.size }
  },
  // benchmark: connection setup (fresh connection each time), ping RTT, single-stream throughput to a sink
  async bench (cmd) {
    const ma = multiaddr(cmd.addr)
    const setup = []
    for (let i = 0; i < cmd.connections; i++) {
      await node.hangUp(peerIdFromString(cmd.addr.split('/p2p/')[1])).catch(() => {})
      const t0 = performance.now()
      await node.dial(ma, { signal: AbortSignal.timeout(10000) })
      setup.push(performance.now() - t0)
    }
    const rtts = []
    for (let i = 0; i < cmd.pings; i++) rtts.push(await measurePing(ma))
    const stream = await node.dialProtocol(ma, SINK, { signal: AbortSignal.timeout(60000) })
    const chunk = crypto.randomBytes(64 * 1024)
    const t0 = performance.now()
    let sent = 0
    while (sent < cmd.bytes) {
      const part = chunk.subarray(0, Math.min(chunk.length, cmd.bytes - sent))
      sent += part.length
      if (!stream.send(part)) await new Promise((resolve, reject) => { stream.addEventListener('drain', resolve, { once: true }); stream.addEventListener('close', reject, { once: true }) })
    }
    await stream.close()
    let ack = Buffer.alloc(0)
    for await (const buf of stream) ack = Buffer.concat([ack, Buffer.from(buf.subarray ? buf.subarray() : buf)])
    const seconds = (performance.now() - t0) / 1000
    const received = Number(ack.readBigUInt64BE(0))
    if (received !== cmd.bytes) throw new Error(`sink counted ${received} of ${cmd.bytes} bytes`)
    return { setupMs: setup, pingMs: rtts, throughputMBps: cmd.bytes / seconds / 1e6 }
  }
}

// Ping RTT in fractional milliseconds (the ping service reports whole ms): time one 32-byte echo ourselves.
async function measurePing (ma) {
  // one outbound ping stream per connection, and js's own connection monitor pings too: wait for its turn (as the
  // ping op does) instead of failing the whole benchmark when they collide
  let stream
  for (let attempt = 0; ; attempt++) {
    try {
      stream = await node.dialProtocol(ma, '/ipfs/ping/1.0.0', { signal: AbortSignal.timeout(10000) })
      break
    } catch (err) {
      if (err?.name !== 'TooManyOutboundProtocolStreamsError' || attempt >= 50) throw err
      await new Promise(resolve => setTimeout(resolve, 50))
    }
  }
  const data = crypto.randomBytes(32)
  const got = Promise.withResolvers()
  let n = 0
  stream.addEventListener('message', (evt) => { n += evt.data.byteLength; if (n >= 32) got.resolve() })
  const t0 = performance.now()
  stream.send(data)
  await got.promise
  const ms = performance.now() - t0
  await stream.close().catch(() => {})
  return ms
}

await node.start()
const addr = node.getMultiaddrs()[0].toString()
console.log(JSON.stringify({ addr, peerId: node.peerId.toString() }))

const rl = readline.createInterface({ input: process.stdin })
rl.on('line', async (line) => {
  if (!line.trim()) return
  let cmd
  try { cmd = JSON.parse(line) } catch { console.log(JSON.stringify({ ok: false, error: 'bad json' })); return }
  try {
    const result = await ops[cmd.op](cmd)
    console.log(JSON.stringify({ id: cmd.id, ok: true, ...result }))
  } catch (err) {
    console.log(JSON.stringify({ id: cmd.id, ok: false, error: String(err?.stack ?? err) }))
  }
})
rl.on('close', async () => { await node.stop().catch(() => {}); process.exit(0) })
