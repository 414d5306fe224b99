import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { DETECTOR_IDS } from '../../src/detect/detector.js';
import { formatResultsJsonSchema, resultsSchema } from '../../src/scan/result.js';
import { REPO_ROOT } from '../helpers.js';
import { scanData, withGate } from '../gate/synthetic.js';

describe('results schema: one zod source', () => {
  it('schema/results.v1.schema.json is generated from it and up to date (run `npm run schema` after changing src/scan/result.ts)', async () => {
    const checkedIn = await readFile(path.join(REPO_ROOT, 'schema', 'results.v1.schema.json'), 'utf8');
    expect(checkedIn).toBe(formatResultsJsonSchema());
  });

  it('the JSON Schema and the zod schema agree on a result, and both refuse a broken one', () => {
    const result = withGate(scanData({ 'a.png': { 'gray-haze': 0.4 } }), { passed: true, failures: [], warnings: [], thresholds: [] });
    const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(formatResultsJsonSchema()));
    expect(validate(result), JSON.stringify(validate.errors)).toBe(true);
    expect(resultsSchema.safeParse(result).success).toBe(true);
    const broken = structuredClone(result) as unknown as { images: { findings: { id: string }[] }[] };
    broken.images[0].findings[0].id = 'purple-haze';
    expect(validate(broken)).toBe(false);
    expect(resultsSchema.safeParse(broken).success).toBe(false);
  });

  it('the detector id enum comes from DETECTOR_IDS', () => {
    const schema = JSON.parse(formatResultsJsonSchema());
    expect(schema.definitions.detectorId.enum).toEqual([...DETECTOR_IDS]);
  });
});
