import { z } from 'zod';
import { DETECTOR_IDS } from '../detect/detector.js';
import { AGGREGATES, LEVELS, SCOPES } from '../scan/result.js';
import { PRESET_NAMES } from './presets.js';
import { printablePath } from '../io/input-file.js';

/**
 * The config file format (artifact-scan.config.json / .js / .mjs), validated with zod.
 * Every schema carries an "expected ..." text; formatIssue() adds what was received and the key path.
 */

// `expected "a", "b" or "c"` for an enum's values.
const expectedOneOf = (values: readonly string[]): string => `expected ${values.slice(0, -1).map((v) => `"${v}"`).join(', ')} or "${values[values.length - 1]}"`;
const LEVEL_TEXT = expectedOneOf(LEVELS);
const levelSchema = z.enum(LEVELS, { error: LEVEL_TEXT });
const SEVERITY_TEXT = 'expected a number between 0 and 1';
const severitySchema = z.number({ error: SEVERITY_TEXT }).min(0, { error: SEVERITY_TEXT }).max(1, { error: SEVERITY_TEXT });

const assertionOptionsSchema = z.strictObject(
  {
    maxSeverity: severitySchema.optional(),
    scope: z.enum(SCOPES, { error: expectedOneOf(SCOPES) }).optional(),
    aggregate: z.enum(AGGREGATES, { error: expectedOneOf(AGGREGATES) }).optional(),
  },
  { error: 'expected an object like { "maxSeverity": 0.3, "scope": "images", "aggregate": "max" }' },
);

const ENTRY_TEXT = 'expected a level ("off", "warn" or "error") or [level, { maxSeverity, scope, aggregate }]';
const assertionEntrySchema = z.union([levelSchema, z.tuple([levelSchema, assertionOptionsSchema.optional()], { error: ENTRY_TEXT })], { error: ENTRY_TEXT });

const assertionsSchema = z.strictObject(
  Object.fromEntries(DETECTOR_IDS.map((id) => [id, assertionEntrySchema.optional()])) as Record<(typeof DETECTOR_IDS)[number], z.ZodOptional<typeof assertionEntrySchema>>,
  { error: 'expected an object of artifact class id → level or [level, options]' },
);

const globsSchema = z.array(z.string({ error: 'expected a glob pattern (string)' }).min(1, { error: 'expected a non-empty glob pattern' }), {
  error: 'expected an array of glob patterns',
});

const presetSchema = z.enum(PRESET_NAMES, { error: `expected ${PRESET_NAMES.map((p) => `"${p}"`).join(' or ')}` });

export const configSchema = z.strictObject(
  {
    $schema: z.string().optional(),
    extends: z.union([presetSchema, z.array(presetSchema, { error: 'expected a preset name or an array of them' })], {
      error: `expected ${PRESET_NAMES.map((p) => `"${p}"`).join(' or ')} (or an array of them)`,
    }).optional(),
    assertions: assertionsSchema.optional(),
    overrides: z
      .array(
        z.strictObject(
          { files: globsSchema.min(1, { error: 'expected at least one glob pattern' }), assertions: assertionsSchema },
          { error: 'expected an object like { "files": ["renders/nin/**"], "assertions": { ... } }' },
        ),
        { error: 'expected an array of { files, assertions }' },
      )
      .optional(),
    ignore: globsSchema.optional(),
    maxWarnings: z.number({ error: 'expected a whole number >= 0' }).int({ error: 'expected a whole number >= 0' }).min(0, { error: 'expected a whole number >= 0' }).optional(),
    baseline: z
      .strictObject(
        {
          path: z.string({ error: 'expected a file path (string)' }).min(1, { error: 'expected a file path (string)' }),
          ratchetDelta: z.number({ error: 'expected a number between 0 and 1' }).min(0, { error: 'expected a number between 0 and 1' }).max(1, { error: 'expected a number between 0 and 1' }).optional(),
        },
        { error: 'expected an object like { "path": "artifact-scan.baseline.json", "ratchetDelta": 0.05 }' },
      )
      .optional(),
  },
  { error: 'expected a JSON object' },
);

export type ArtifactScanConfig = z.infer<typeof configSchema>;
export type AssertionEntry = z.infer<typeof assertionEntrySchema>;
export type AssertionsConfig = z.infer<typeof assertionsSchema>;

/** Keys allowed at each kind of object, for "unknown key" messages. */
const TOP_KEYS = Object.keys(configSchema.shape);

/** Validate a parsed config; throws an Error whose message is one line naming the key path (without the file name). */
export function parseConfig(data: unknown): ArtifactScanConfig {
  const parsed = configSchema.safeParse(data, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw new Error(formatIssue(parsed.error.issues[0] as Issue, []));
}

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  input?: unknown;
  keys?: string[];
  errors?: Issue[][];
}

/** `assertions.gray-haze[1].maxSeverity` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${printablePath(String(part))}` : printablePath(String(part));
  }
  return out || '(top level)';
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value).replace(/\u2028|\u2029/g, ' ');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array (${value.length} item${value.length === 1 ? '' : 's'})`;
  return `an ${typeof value}`;
}

function formatIssue(issue: Issue, prefix: PropertyKey[]): string {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors) {
    // A level-or-tuple (or preset-or-array) value: report the branch that matches the kind of value given.
    const branch = typeof issue.input === 'string' ? issue.errors[0] : Array.isArray(issue.input) ? issue.errors[1] : undefined;
    if (branch?.[0]) return formatIssue({ ...branch[0], input: branch[0].input }, path);
    return `${formatPath(path)}: ${issue.message}, received ${describeValue(issue.input)}`;
  }
  if (issue.code === 'unrecognized_keys' && issue.keys) {
    // Keys are the user's text: control characters (a newline in a key) are escaped to keep one line.
    const key = printablePath(issue.keys[0]);
    const where = formatPath(path);
    const last = path[path.length - 1];
    if (last === 'assertions') return `${where}: unknown artifact class "${key}"; valid ids: ${DETECTOR_IDS.join(', ')}`;
    if (path.length === 0) return `unknown key "${key}"; expected one of: ${TOP_KEYS.join(', ')}`;
    const allowed = typeof last === 'number' && path[path.length - 2] === 'overrides' ? 'files, assertions' : last === 'baseline' ? 'path, ratchetDelta' : 'maxSeverity, scope, aggregate';
    return `${where}: unknown key "${key}"; expected one of: ${allowed}`;
  }
  if (issue.code === 'too_big' && Array.isArray(issue.input)) {
    return `${formatPath(path)}: ${ENTRY_TEXT}, received an array of ${issue.input.length} items`;
  }
  return `${formatPath(path)}: ${issue.message}, received ${describeValue(issue.input)}`;
}
