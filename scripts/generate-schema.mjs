// Writes schema/results.v1.schema.json from the zod schema in src/scan/result.ts (the one source).
// Usage: npm run schema   (builds first). test/scan/results-schema.test.ts fails when the file is stale.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { formatResultsJsonSchema } = await import(path.join(root, 'dist/src/scan/result.js'));
const out = path.join(root, 'schema', 'results.v1.schema.json');
writeFileSync(out, formatResultsJsonSchema());
console.log(`wrote ${path.relative(root, out)}`);
