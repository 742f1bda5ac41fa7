// Builds ../../resources/ui/xrpl-bundle.js from entry.mjs with the locked packages. Deterministic: no timestamps,
// no absolute paths (esbuild writes module paths relative to this folder), fixed target and options, so CI can
// rebuild it and compare it byte for byte with the committed file (.ci/wallet-bundle --check).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] ?? path.join(here, '../../resources/ui/xrpl-bundle.js');
await build({
  entryPoints: [path.join(here, 'entry.mjs')],
  absWorkingDir: here,
  outfile: out,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  legalComments: 'eof',
  charset: 'utf8',
  sourcemap: false,
  logLevel: 'warning',
  banner: { js: '/* fedsearch browser wallet: ripple-binary-codec, ripple-keypairs, ripple-address-codec, @noble/hashes, @noble/curves (built by .ci/wallet-bundle from web/src/main/js/wallet/package-lock.json) */' },
});
