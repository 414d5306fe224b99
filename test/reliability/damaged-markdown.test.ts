import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, test } from 'vitest';
import { tempDir } from '../helpers.js';
import { runBounded } from './run.js';

// Issue 16, cases 18 and 19.
let dir: string;
let good: Buffer;

/** Offsets of each chunk's CRC in a PNG, by chunk type. */
function crcOffsets(png: Buffer): Record<string, number> {
  const out: Record<string, number> = {};
  for (let o = 8; o + 8 <= png.length; ) {
    const length = png.readUInt32BE(o);
    const type = png.toString('latin1', o + 4, o + 8);
    out[type] ??= o + 8 + length;
    o += 12 + length;
  }
  return out;
}

beforeAll(async () => {
  dir = await tempDir('artifact-scan-damaged-');
  // Texture, so the detectors have something to measure and the comparison below means something.
  const noise = Buffer.alloc(96 * 64 * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
  good = await sharp(noise, { raw: { width: 96, height: 64, channels: 3 } }).png().toBuffer();
  await writeFile(path.join(dir, 'good.png'), good);
  const offsets = crcOffsets(good);
  for (const type of ['IHDR', 'IDAT', 'IEND']) {
    const bad = Buffer.from(good);
    bad[offsets[type]] ^= 0x5a;
    await writeFile(path.join(dir, `bad-${type}.png`), bad);
  }
});

describe('issue 16: damaged PNGs and hostile names', () => {
  test('case 18: PNGs with a wrong CRC in IHDR, IDAT or IEND are reported as damaged, not scanned', async () => {
    const alone = await runBounded(['good.png', '--json', '-', '--quiet'], { cwd: dir });
    expect(alone.code).toBe(0);
    const run = await runBounded(['good.png', 'bad-IHDR.png', 'bad-IDAT.png', 'bad-IEND.png', '--json', '-', '--quiet'], { cwd: dir });
    expect(run.code).toBe(2);
    const result = JSON.parse(run.stdout);
    expect(result.images.map((i: { path: string }) => i.path)).toEqual(['good.png']);
    for (const type of ['IHDR', 'IDAT', 'IEND']) expect(run.stderr).toContain(`bad-${type}.png: damaged PNG: the ${type} chunk's checksum (CRC) is wrong`);
    // The good image's findings are exactly those it has when scanned alone.
    expect(result.images[0].findings).toEqual(JSON.parse(alone.stdout).images[0].findings);
  });

  test('case 19: the Markdown report carries no HTML tags from file names', async () => {
    const names = ['<script>alert(1)<.png', '<img src=x onerror=alert(1)>.png'];
    for (const name of names) await writeFile(path.join(dir, name), 'not an image');
    const run = await runBounded([...names, 'good.png', '--markdown', 'r.md', '--quiet'], { cwd: dir });
    expect(run.code).toBe(2);
    const md = await readFile(path.join(dir, 'r.md'), 'utf8');
    expect(md).toContain('&lt;script&gt;alert(1)&lt;.png');
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;.png');
    expect(md).not.toMatch(/<\s*(script|img)/i);
  });
});
