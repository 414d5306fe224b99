import { attributeOf } from '../../option-spec.js';
import path from 'node:path';
import { writeDiagnostic, type CliIo } from '../io.js';
import { optionsFor } from '../options.js';
import { createProgress, type Progress } from '../progress.js';
import type { Device } from '../../render/engine.js';
import { renderDemoSet } from '../../render/demo-set.js';
import { describeRenderError } from './render.js';
import { runScanCommand } from './scan.js';

/**
 * `artifact-scan demo`: render the embedded demo set (content and style drawn by code) into
 * <out>/renders, then scan it like `artifact-scan <out>/renders --html <out>/report.html`,
 * with the demo's content and style as references. Returns the scan's exit code.
 */
export async function runDemoCommand(_inputs: string[], options: Record<string, unknown>, io: CliIo): Promise<number> {
  const out = String(options.out ?? 'artifact-scan-demo');
  const quiet = Boolean(options.quiet);
  let progress: Progress | null = null;
  let demo;
  try {
    demo = await renderDemoSet(out, {
      device: (options.device as Device | undefined) ?? 'cpu',
      threads: Number(options.threads ?? 0),
      onProgress: (p) => {
        progress ??= createProgress(io, p.total, 'Rendering demo', quiet);
        progress.update(p.done, p.file);
      },
    });
  } catch (err) {
    (progress as Progress | null)?.stop();
    const line = describeRenderError(err);
    if (line === null) throw err;
    writeDiagnostic(io, line);
    return 2;
  }
  (progress as Progress | null)?.stop();
  if (!quiet) io.stderr.write(`rendered ${demo.result.rendered.length} demo output(s) into ${demo.rendersDir}\n`);
  if (!quiet && demo.result.network.note) io.stderr.write(`note: the demo's network: ${demo.result.network.note}\n`);

  // The scan step: the scan command's own defaults, then whatever demo options the user set.
  const scanOptions: Record<string, unknown> = {};
  for (const spec of optionsFor('scan')) if (spec.default !== undefined) scanOptions[attributeOf(spec.flags)] = spec.default;
  for (const [k, v] of Object.entries(options)) if (v !== undefined) scanOptions[k] = v;
  scanOptions.html = options.html ?? path.join(out, 'report.html');
  scanOptions.content = demo.contentFile;
  scanOptions.style = demo.styleFile;
  if (!quiet) {
    io.stderr.write(
      'scanning them: the demo renders with zero padding (neural-style\'s setting), so border lines are expected and the\n' +
        'gate is meant to fail (exit 1); rendered with --padding reflect they go\n',
    );
  }
  // The scan's exit code, as for any scan: the demo's own set fails the gate on purpose.
  return runScanCommand([demo.rendersDir], scanOptions, io, ['demo']);
}
