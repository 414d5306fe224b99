import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

/** Lint `code` as if it were the file `file` (relative to the checkout) and return the restricted-import messages. */
async function violations(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import direction (eslint.layers.js)', () => {
  it('refuses imports that point up the layers or into the CLI', async () => {
    expect(await violations('src/gate/x.ts', "import { main } from '../cli/main.js';\nexport const m = main;\n")).toHaveLength(1);
    expect(await violations('src/detect/x.ts', "import type { GateResult } from '../scan/result.js';\nexport type G = GateResult;\n")).toHaveLength(1);
    expect(await violations('src/image/x.ts', "import { quantile } from '../analysis/stats.js';\nexport const q = quantile;\n")).toHaveLength(1);
    expect(await violations('src/report/html/x.ts', "import type { CliIo } from '../../cli/io.js';\nexport type I = CliIo;\n")).toHaveLength(1);
    expect(await violations('src/analysis/x.ts', "import { detectors } from '../detect/index.js';\nexport const d = detectors;\n")).toHaveLength(1);
  });

  it('keeps render apart from the scan pipeline and the CLI', async () => {
    expect(await violations('src/render/x.ts', "import { renderOptions } from '../cli/options.js';\nexport const r = renderOptions;\n")).toHaveLength(1);
    expect(await violations('src/render/models/x.ts', "import { decodeFile } from '../../image/decode.js';\nexport const d = decodeFile;\n")).toHaveLength(1);
    expect(await violations('src/detect/x.ts', "import { Random } from '../render/random.js';\nexport const r = Random;\n")).toHaveLength(1);
  });

  it('allows imports that point down, and the shared leaves', async () => {
    expect(await violations('src/report/x.ts', "import { evaluateGate } from '../gate/index.js';\nimport { EXIT } from '../errors.js';\nexport const e = [evaluateGate, EXIT];\n")).toEqual([]);
    expect(await violations('src/detect/x.ts', "import { lumaPlane } from '../image/luma.js';\nexport const l = lumaPlane;\n")).toEqual([]);
    expect(await violations('src/render/x.ts', "import { InputError } from '../errors.js';\nimport { writeFileAtomic } from '../io/write-atomic.js';\nexport const r = [InputError, writeFileAtomic];\n")).toEqual([]);
    expect(await violations('src/cli/x.ts', "import { scanFiles } from '../scan/scan.js';\nimport { renderSet } from '../render/render-set.js';\nexport const c = [scanFiles, renderSet];\n")).toEqual([]);
  });
});
