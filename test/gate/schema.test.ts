import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../src/gate/index.js';
import { parseConfig } from '../../src/gate/config.js';
import { resolveGate } from '../../src/gate/resolve.js';
import { buildBaseline } from '../../src/gate/baseline.js';
import { REPO_ROOT } from '../helpers.js';
import { scanData, withGate } from './synthetic.js';

describe('gate results in the JSON (schema v1)', () => {
  it('threshold, ratchet and run failures, sources and the baseline comparison validate against the schema', async () => {
    const schema = JSON.parse(await readFile(path.join(REPO_ROOT, 'schema/results.v1.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const before = scanData({ 'a.png': { 'gray-haze': 0.1 }, 'b.png': { 'gray-haze': 0.1 } }, { averages: [{ paths: ['a.png', 'b.png'], sev: {} }] });
    const after = scanData({ 'a.png': { 'gray-haze': 0.6 }, 'c.png': { 'gray-haze': 0.2, 'border-lines': 0.9 } }, { averages: [{ paths: ['a.png', 'c.png'], sev: {} }] });
    const config = parseConfig({ extends: 'artifact-scan:recommended', assertions: { 'gray-haze': ['error', { maxSeverity: 0.3 }] } });
    const gate = resolveGate({ name: 'c.json', file: '/p/c.json', config }, { baseline: 'b.json', maxWarnings: 0, assert: ['grid-pattern=warn:0:images'] });
    const result = withGate(after, evaluateGate(gate, buildBaseline(before, '/p'), after, '/p'));
    expect(result.gate.failures.map((f) => f.kind)).toContain('ratchet');
    expect(result.gate.runFailures?.map((r) => r.kind)).toEqual(['baseline-paths']);
    expect(result.gate.thresholds.every((t) => t.sources)).toBe(true);
    expect(validate(result), JSON.stringify(validate.errors)).toBe(true);
  });
});
