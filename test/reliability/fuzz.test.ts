import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv } from 'ajv';
import sharp from 'sharp';
import { beforeAll, describe, expect, test } from 'vitest';
import { createRng } from '../../fixtures/random.js';
import { REPO_ROOT, tempDir } from '../helpers.js';
import { runBounded } from './run.js';

// A small fuzz run for CI (issue 16): a few hundred mutants of a PNG and a JPEG, from a fixed
// seed, scanned in batches mixed with good images. Whatever the bytes: exit 0, 1 or 2, one line
// per bad file and no stack trace, the good images still scanned, the JSON valid.
const MUTANTS = 300;
const BATCH = 60;
let dir: string;
let batches: string[][];
const goodNames = ['good-a.png', 'good-b.jpg'];

function mutate(source: Buffer, rng: () => number): Buffer {
  const b = Buffer.from(source);
  const r = rng();
  const at = () => Math.floor(rng() * b.length);
  if (r < 0.45) {
    // Flip 1-8 bits anywhere (headers, CRCs, compressed data).
    const flips = 1 + Math.floor(rng() * 8);
    for (let k = 0; k < flips; k++) b[at()] ^= 1 << Math.floor(rng() * 8);
    return b;
  }
  if (r < 0.6) return b.subarray(0, at()); // truncated
  if (r < 0.75) {
    // A run of random bytes written over the file.
    const start = at();
    for (let i = start; i < Math.min(b.length, start + 1 + Math.floor(rng() * 64)); i++) b[i] = Math.floor(rng() * 256);
    return b;
  }
  if (r < 0.87) {
    // A slice duplicated (repeated chunks, doubled markers).
    const s = at();
    const e = Math.min(b.length, s + 1 + Math.floor(rng() * 200));
    return Buffer.concat([b.subarray(0, e), b.subarray(s, e), b.subarray(e)]);
  }
  // Size fields rewritten: big-endian 32-bit values near the start (PNG IHDR, JPEG SOF lengths).
  const o = Math.floor(rng() * Math.min(200, b.length - 4));
  b.writeUInt32BE(Math.floor(rng() * 0xffffffff), o);
  return b;
}

beforeAll(async () => {
  dir = await tempDir('artifact-scan-fuzz-');
  await mkdir(path.join(dir, 'm'));
  const pixels = Buffer.alloc(64 * 48 * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 37 + (i >> 7) * 11) % 256;
  const png = await sharp(pixels, { raw: { width: 64, height: 48, channels: 3 } }).png().toBuffer();
  const jpg = await sharp(pixels, { raw: { width: 64, height: 48, channels: 3 } }).jpeg({ quality: 80 }).toBuffer();
  await writeFile(path.join(dir, goodNames[0]), png);
  await writeFile(path.join(dir, goodNames[1]), jpg);
  const rng = createRng(16);
  const names: string[] = [];
  for (let k = 0; k < MUTANTS; k++) {
    const fromPng = k % 2 === 0;
    const name = `m/${String(k).padStart(3, '0')}.${fromPng ? 'png' : 'jpg'}`;
    await writeFile(path.join(dir, name), mutate(fromPng ? png : jpg, rng));
    names.push(name);
  }
  batches = [];
  for (let i = 0; i < names.length; i += BATCH) batches.push(names.slice(i, i + BATCH));
});

describe('fuzz: mutated PNG and JPEG bytes', () => {
  test(`${MUTANTS} mutants in batches with good images: exit 0/1/2, no stack trace, good images scanned, JSON valid`, async () => {
    const schema = JSON.parse(await readFile(path.join(REPO_ROOT, 'schema/results.v1.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    let scanned = 0;
    let refused = 0;
    for (const batch of batches) {
      const run = await runBounded([...goodNames, ...batch, '--json', '-', '--quiet', '--jobs', '2'], { cwd: dir, timeoutMs: 60_000, maxRssMb: 1500 });
      const where = `batch starting ${batch[0]}`;
      expect(run.timedOut, where).toBe(false);
      expect(run.overMemory, where).toBe(false);
      expect([0, 1, 2], where).toContain(run.code);
      expect(run.stderr + run.stdout, where).not.toMatch(/\n\s+at |internal error|Error:/);
      const result = JSON.parse(run.stdout);
      expect(validate(result), `${where}: ${JSON.stringify(validate.errors?.slice(0, 2))}`).toBe(true);
      const paths = result.images.map((i: { path: string }) => i.path);
      for (const good of goodNames) expect(paths, where).toContain(good);
      // Every mutant is accounted for: scanned, or refused with one line naming it.
      for (const name of batch) {
        const lines = run.stderr.split('\n').filter((l) => l.replace(/^artifact-scan: /, '').startsWith(`${name}: `));
        expect(Number(paths.includes(name)) + lines.length, `${where}: ${name}`).toBe(1);
      }
      scanned += paths.length - goodNames.length;
      refused += result.errors.length;
    }
    expect(scanned + refused).toBe(MUTANTS);
    // The mutants are not all trivially refused (the decoder is exercised) nor all accepted.
    expect(refused).toBeGreaterThan(MUTANTS / 10);
    expect(scanned).toBeGreaterThan(0);
  }, 120_000);
});
