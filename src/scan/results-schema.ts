import { z } from 'zod';
import { DETECTOR_IDS } from '../detect/detector.js';
import { SCHEMA_VERSION } from './result.js';

/** The parts of a schema v1 results file the reports rely on (extra fields are kept, not checked). */
const region = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number(), label: z.string().optional() }).loose();
const fix = z.object({ text: z.string(), flags: z.string().optional() }).loose();
const finding = z
  .object({
    id: z.enum(DETECTOR_IDS),
    severity: z.number(),
    detected: z.boolean(),
    regions: z.array(region),
    measurements: z.record(z.string(), z.unknown()),
    fixes: z.array(fix),
  })
  .loose();
const gateFailure = z
  .object({
    id: z.enum(DETECTOR_IDS),
    level: z.enum(['warn', 'error']),
    scope: z.enum(['images', 'averages']),
    aggregate: z.string(),
    expected: z.string(),
    found: z.number(),
    paths: z.array(z.string()),
    source: z.string(),
    message: z.string(),
  })
  .loose();
export const resultsSchema = z
  .object({
    schemaVersion: z.literal(SCHEMA_VERSION),
    tool: z.object({ name: z.literal('artifact-scan'), version: z.string() }).loose(),
    run: z.object({ startedAt: z.string(), durationMs: z.number(), argv: z.array(z.string()), inputCount: z.number(), background: z.string() }).loose(),
    images: z.array(z.object({ path: z.string(), width: z.number().int().positive(), height: z.number().int().positive(), findings: z.array(finding) }).loose()),
    averages: z.array(
      z.object({ width: z.number().int().positive(), height: z.number().int().positive(), count: z.number().int(), paths: z.array(z.string()), findings: z.array(finding) }).loose(),
    ),
    errors: z.array(z.object({ path: z.string(), message: z.string() }).loose()),
    gate: z
      .object({
        passed: z.boolean(),
        failures: z.array(gateFailure),
        warnings: z.array(gateFailure),
        thresholds: z.array(
          z.object({ id: z.enum(DETECTOR_IDS), level: z.enum(['off', 'warn', 'error']), maxSeverity: z.number(), scope: z.string(), aggregate: z.string(), source: z.string() }).loose(),
        ),
      })
      .loose(),
  })
  .loose();

