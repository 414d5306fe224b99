import { z } from 'zod';
import { detectorIdSchema, findingSchema } from '../detect/finding-schema.js';

/**
 * The JSON contract, schema version 1, defined once: the TypeScript types below are inferred from
 * this zod schema, `report --from` validates with it (src/report/results-file.ts), and
 * schema/results.v1.schema.json is generated from it (`npm run schema`; a test fails when the
 * checked-in file is out of date).
 */
export const SCHEMA_VERSION = 1 as const;

export const LEVELS = ['off', 'warn', 'error'] as const;
export const SCOPES = ['images', 'averages', 'both'] as const;
export const AGGREGATES = ['max', 'median', 'p90', 'mean'] as const;

const level = z.enum(LEVELS);
const scope = z.enum(SCOPES);
const aggregate = z.enum(AGGREGATES);
const failureLevel = z.enum(['warn', 'error']);
const failureScope = z.enum(['images', 'averages']);

const findings = z.array(findingSchema).length(findingSchema.shape.id.options.length).describe('One finding per registered detector, in registry order.');

export const imageResultSchema = z.object({
  path: z.string().describe('The path as given or found (relative to the working directory when it was given relative).'),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
  analysedFrom: z
    .object({ width: z.number().int().min(1), height: z.number().int().min(1) })
    .optional()
    .describe('Present when the image was larger than the working resolution: its size in the file. width/height (and region coordinates) are the reduced size it was analysed at.'),
  findings,
});

export const averageResultSchema = z.object({
  width: z.number().int().min(1),
  height: z.number().int().min(1),
  count: z.number().int().min(2).describe('Number of images averaged.'),
  paths: z.array(z.string()).min(2).describe('The images averaged, in sorted input order.'),
  grouping: z
    .object({
      method: z.enum(['manifest', 'content']).describe('"manifest": one parameter set (content, styles, every setting but the seed) in the renderer\'s manifest.json; "content": one size and agreeing block luma (src/scan/grouping.ts).'),
      key: z.string().describe('Unique within the scan, e.g. "512x384 manifest 3f2a..." or "512x384 content out/a_s1.png" (the first member).'),
    })
    .optional()
    .describe('How the group was formed. Absent in results written before groups were content-aware (they were grouped by size alone).'),
  findings,
});

export const inputErrorSchema = z.object({ path: z.string(), message: z.string() });

export const thresholdSchema = z
  .object({
    id: detectorIdSchema,
    level,
    maxSeverity: z.number().min(0).max(1),
    scope,
    aggregate,
    source: z.string().describe('e.g. "preset artifact-scan:recommended", "artifact-scan.config.json assertions.gray-haze", "--assert gray-haze=error:0.3".'),
    files: z.array(z.string()).optional().describe('Glob patterns this threshold applies to, when it comes from an override.'),
    sources: z
      .object({ level: z.string(), maxSeverity: z.string(), scope: z.string(), aggregate: z.string() })
      .optional()
      .describe('Where each value came from.'),
  })
  .describe('One assertion in force, with where its values came from (preset, config file key, or flag).');

export const gateFailureSchema = z
  .object({
    id: detectorIdSchema,
    level: failureLevel,
    scope: failureScope,
    aggregate,
    expected: z.string().describe('Human-readable, e.g. "<= 0.3".'),
    found: z.number().describe('The aggregated severity that was found.'),
    paths: z.array(z.string()).describe('The images (or, for averages, the group labels like "512x512 (n=16, content out/a_s1.png)") whose severity is over the limit.'),
    source: z.string(),
    message: z.string(),
    kind: z.enum(['threshold', 'ratchet']).optional().describe('"threshold": maxSeverity exceeded; "ratchet": worse than the baseline by more than the ratchet delta. Absent means "threshold".'),
  })
  .describe('An assertion that did not hold: at level error it fails the gate, at warn it is a warning.')
  .meta({ id: 'gateFailure' });

export const gateRunFailureSchema = z
  .object({
    kind: z.enum(['max-warnings', 'baseline-paths']),
    message: z.string(),
    paths: z.array(z.string()).describe('The paths involved (for baseline-paths: missing ones, then new ones).'),
    source: z.string(),
  })
  .describe('A failure that belongs to no artifact class (too many warnings, the scanned set differs from the baseline).');

export const baselineComparisonSchema = z
  .object({
    path: z.string(),
    ratchetDelta: z.number().min(0),
    updated: z.boolean().describe('True when --update-baseline rewrote the file instead of comparing.'),
    classes: z.array(
      z.object({
        id: detectorIdSchema,
        scope: failureScope,
        aggregate,
        baseline: z.number(),
        found: z.number(),
        status: z.enum(['improved', 'unchanged', 'worse', 'regressed']),
      }),
    ),
    missing: z.array(z.string()).describe('Paths in the baseline that this scan does not have.'),
    added: z.array(z.string()).describe('Paths in this scan that the baseline does not have.'),
  })
  .describe('The baseline comparison (--baseline), per class and scope.');

export const gateResultSchema = z.object({
  passed: z.boolean(),
  failures: z.array(gateFailureSchema).describe('Error-level failures (they fail the gate).'),
  warnings: z.array(gateFailureSchema).describe('Warn-level failures (they do not fail the gate, except past --max-warnings).'),
  thresholds: z.array(thresholdSchema).describe('The assertions in force, with their sources.'),
  runFailures: z.array(gateRunFailureSchema).optional().describe('Failures that belong to no class; they fail the gate.'),
  baseline: baselineComparisonSchema.optional().describe('Present when a baseline was given.'),
});

export const runInfoSchema = z.object({
  startedAt: z.string().describe('ISO 8601 time the scan started.'),
  durationMs: z.number().min(0),
  argv: z.array(z.string()).describe('The command line, without the node executable.'),
  inputCount: z.number().int().min(0).describe('Number of input files after expansion (readable or not).'),
  background: z.string().describe('Background used to composite alpha, as #rrggbb.'),
});

export const resultsSchema = z
  .object({
    schemaVersion: z.literal(SCHEMA_VERSION),
    tool: z.object({ name: z.literal('artifact-scan'), version: z.string() }),
    run: runInfoSchema,
    images: z.array(imageResultSchema),
    averages: z.array(averageResultSchema),
    errors: z.array(inputErrorSchema),
    gate: gateResultSchema,
    pictures: z
      .string()
      .optional()
      .describe("The sidecar file with the report's pictures (made at scan time; src/scan/pictures.ts), relative to this file's folder. Absent when none was written."),
  })
  .meta({ title: 'artifact-scan results, schema version 1' });

export type Level = z.infer<typeof level>;
export type Scope = z.infer<typeof scope>;
export type Aggregate = z.infer<typeof aggregate>;
export type ImageResult = z.infer<typeof imageResultSchema>;
export type AverageResult = z.infer<typeof averageResultSchema>;
export type InputError = z.infer<typeof inputErrorSchema>;
export type Threshold = z.infer<typeof thresholdSchema>;
export type GateFailure = z.infer<typeof gateFailureSchema>;
export type GateRunFailure = z.infer<typeof gateRunFailureSchema>;
export type BaselineComparison = z.infer<typeof baselineComparisonSchema>;
export type GateResult = z.infer<typeof gateResultSchema>;
export type RunInfo = z.infer<typeof runInfoSchema>;
export type ScanResult = z.infer<typeof resultsSchema>;

/**
 * A group average's label in failures and reports: "512x512 (n=16)" for results grouped by size
 * alone, "512x512 (n=16, manifest 3f2a...)" or "512x512 (n=16, content out/a_s1.png)" otherwise,
 * since one size can now hold several groups.
 */
export function averageLabel(avg: Pick<AverageResult, 'width' | 'height' | 'count' | 'grouping'>): string {
  if (!avg.grouping) return `${avg.width}x${avg.height} (n=${avg.count})`;
  const how = avg.grouping.key.split(' ').slice(1).join(' ');
  return `${avg.width}x${avg.height} (n=${avg.count}, ${how})`;
}

/** The key that names an average in the pictures file and the report: its grouping key, or its size for older results. */
export function averageKey(avg: Pick<AverageResult, 'width' | 'height' | 'grouping'>): string {
  return avg.grouping?.key ?? `${avg.width}x${avg.height}`;
}

/** The JSON Schema of the results file, as published in schema/results.v1.schema.json. */
export function resultsJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(resultsSchema, { target: 'draft-7', io: 'input' }),
    $id: 'https://artifact-scan.dev/schema/results.v1.schema.json',
  };
}

/** The text of schema/results.v1.schema.json. */
export function formatResultsJsonSchema(): string {
  return JSON.stringify(resultsJsonSchema(), null, 2) + '\n';
}
