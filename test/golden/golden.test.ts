import { beforeAll, describe, expect, test } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, tempDir } from '../helpers.js';
import { GOLDEN_SCANS, writeGoldenSet } from './fixture-set.js';

/**
 * The findings of a fixed fixture set, recorded before the pipeline was restructured (issue 9)
 * and compared after every change: a refactor must not move a single number. The results JSON
 * minus what differs between runs (run.startedAt, run.durationMs, run.argv) and minus what the
 * results may carry besides findings (pictures for the report). Regenerate deliberately with
 * UPDATE_GOLDEN=1, and list and explain every difference in the commit.
 */
const GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'findings.golden.json');

let dir: string;
beforeAll(async () => {
  dir = await tempDir('artifact-scan-golden-');
  await writeGoldenSet(dir);
});

/** The part of a results file that must stay byte-equal. */
export function goldenPart(results: { images: unknown[]; averages: unknown[]; errors: unknown[]; gate: unknown }): unknown {
  const strip = ({ path: p, width, height, count, paths, findings }: Record<string, unknown>) =>
    Object.fromEntries(Object.entries({ path: p, width, height, count, paths, findings }).filter(([, v]) => v !== undefined));
  return {
    images: results.images.map((r) => strip(r as Record<string, unknown>)),
    averages: results.averages.map((r) => strip(r as Record<string, unknown>)),
    errors: results.errors,
    gate: results.gate,
  };
}

describe('golden findings', () => {
  test('scanning the golden set gives the recorded findings, byte for byte', async () => {
    const got: Record<string, unknown> = {};
    for (const scan of GOLDEN_SCANS) {
      const json = path.join(dir, `${scan.name}.json`);
      const run = await runCli([...scan.args, '--json', json, '--quiet', '--jobs', '1'], { cwd: dir });
      // The gate fails on this set (it holds artifacts): exit 1, not 2.
      expect(run.code, run.stderr).toBe(1);
      got[scan.name] = goldenPart(JSON.parse(await readFile(json, 'utf8')));
    }
    const text = `${JSON.stringify(got, null, 1)}\n`;
    if (process.env.UPDATE_GOLDEN) await writeFile(GOLDEN, text);
    expect(text).toBe(await readFile(GOLDEN, 'utf8'));
  });
});
