import { mkdir, realpath, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { expandInputs } from '../../src/scan/inputs.js';
import { WelfordAccumulator } from '../../src/image/welford.js';
import { createFrame } from '../../src/image/frame.js';
import { tempDir } from '../helpers.js';

// Property tests (fast-check, fixed seeds so a failure reproduces): the merge of arbitrary input
// lists (issue 16, case 16's family) and the streaming average.
let dir: string;
/** Each spelling an input may take, and the real files it names. */
let forms: { input: string; files: string[] }[];

beforeAll(async () => {
  dir = await realpath(await tempDir('artifact-scan-property-'));
  await mkdir(path.join(dir, 'sub', 'deep'), { recursive: true });
  for (const f of ['a.png', 'b.png', 'sub/c.png', 'sub/deep/d.png']) await writeFile(path.join(dir, f), 'x');
  await symlink(path.join(dir, 'a.png'), path.join(dir, 'link-a.png'));
  await symlink(path.join(dir, 'sub', 'c.png'), path.join(dir, 'sub', 'deep', 'link-c.png'));
  const real = (f: string) => path.join(dir, f);
  forms = [
    { input: 'a.png', files: [real('a.png')] },
    { input: './a.png', files: [real('a.png')] },
    { input: 'sub/../a.png', files: [real('a.png')] },
    { input: path.join(dir, 'a.png'), files: [real('a.png')] },
    { input: 'link-a.png', files: [real('a.png')] },
    { input: 'b.png', files: [real('b.png')] },
    { input: './/b.png', files: [real('b.png')] },
    { input: 'sub', files: [real('sub/c.png'), real('sub/deep/d.png')] },
    { input: './sub/', files: [real('sub/c.png'), real('sub/deep/d.png')] },
    { input: 'sub/deep', files: [real('sub/deep/d.png'), real('sub/c.png')] },
    { input: 'sub/./c.png', files: [real('sub/c.png')] },
    { input: '*.png', files: [real('a.png'), real('b.png')] },
    { input: 'sub/**/*.png', files: [real('sub/c.png'), real('sub/deep/d.png')] },
  ];
});

describe('property: merging inputs', () => {
  test('any list of spellings (duplicates, ./, .., links, folders, globs) gives each real file once, in an order independent of the list', async () => {
    const pick = fc.array(fc.nat({ max: 12 }), { minLength: 1, maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(pick, fc.nat(), async (indices, salt) => {
        const inputs = indices.map((i) => forms[i].input);
        const { files, errors } = await expandInputs(inputs, { cwd: dir });
        expect(errors).toEqual([]);
        const reals = await Promise.all(files.map((f) => realpath(path.resolve(dir, f))));
        expect(new Set(reals).size).toBe(reals.length);
        expect(new Set(reals)).toEqual(new Set(indices.flatMap((i) => forms[i].files)));
        // Same set of inputs in another order: the same files in the same order.
        const shuffled = [...inputs].sort((a, b) => ((a.length * 31 + salt) % 7) - ((b.length * 31 + salt) % 7) || (a < b ? -1 : a > b ? 1 : 0));
        expect((await expandInputs(shuffled, { cwd: dir })).files).toEqual(files);
      }),
      { seed: 16, numRuns: 150 },
    );
  });
});

describe('property: streaming average', () => {
  test("Welford's mean and sample variance equal the two-pass ones for arbitrary frames", () => {
    const value = fc.float({ min: 0, max: 1, noNaN: true, noDefaultInfinity: true });
    const frames = fc.integer({ min: 1, max: 4 }).chain((w) =>
      fc.integer({ min: 1, max: 3 }).chain((h) => fc.array(fc.array(value, { minLength: 3 * w * h, maxLength: 3 * w * h }), { minLength: 1, maxLength: 12 }).map((list) => ({ w, h, list }))),
    );
    fc.assert(
      fc.property(frames, ({ w, h, list }) => {
        const n = w * h;
        const acc = new WelfordAccumulator(w, h, { rgbVariance: true });
        for (const values of list) {
          const planes = [0, 1, 2].map((c) => Float32Array.from(values.slice(c * n, (c + 1) * n))) as [Float32Array, Float32Array, Float32Array];
          acc.add(createFrame(w, h, planes));
        }
        const mean = acc.meanFrame();
        for (let c = 0; c < 3; c++) {
          const variance = acc.variance(c as 0 | 1 | 2);
          for (let i = 0; i < n; i++) {
            const xs = list.map((values) => Math.fround(values[c * n + i]));
            const m = xs.reduce((a, b) => a + b, 0) / xs.length;
            const v = xs.length < 2 ? 0 : xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
            // Float32 accumulators (the memory model): within 2e-6 of the float64 two-pass values.
            expect(Math.abs(mean.planes[c][i] - m)).toBeLessThan(2e-6);
            expect(Math.abs(variance[i] - v)).toBeLessThan(2e-6);
          }
        }
      }),
      { seed: 1616, numRuns: 300 },
    );
  });
});
