import { attributeOf } from '../../option-spec.js';
import path from 'node:path';
import type { CliIo } from '../io.js';
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
    io.stderr.write(`${line}\n`);
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
  const code = await runScanCommand([demo.rendersDir], scanOptions, io, ['demo']);
  if (!quiet) io.stderr.write(`report: ${String(scanOptions.html)}\n`);
  // The demo shows artifacts on purpose; a failed gate is its result, not an error. Usage and
  // input errors (2) still fail it.
  return code === 1 ? 0 : code;
}
