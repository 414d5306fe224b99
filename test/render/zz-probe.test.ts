import { it } from 'vitest';
import path from 'node:path';
import sharp from 'sharp';
import { grayHaze } from '../../src/detect/gray-haze.js';
import { borderLines } from '../../src/detect/border-lines.js';
import { createFrame } from '../../src/image/frame.js';
import { render } from './helpers.js';
import { demoContent, demoStyle } from '../../src/render/demo-images.js';
import { savePngAtomic } from '../../src/render/image-io.js';

async function frameOf(file: string) {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  const n = info.width * info.height;
  const p: [Float32Array, Float32Array, Float32Array] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) p[c][i] = data[i * info.channels + c] / 255;
  return createFrame(info.width, info.height, p);
}
it('probe', async () => {
  const dir = '/tmp/rs/probe';
  await savePngAtomic(path.join(dir, 'c.png'), demoContent());
  await savePngAtomic(path.join(dir, 's.png'), demoStyle());
  const runs = JSON.parse(process.env.RUNS ?? '[]') as [string, Record<string, unknown>][];
  for (const [name, extra] of runs) {
    const out = path.join(dir, name);
    const t0 = Date.now();
    const r = await render({ content: path.join(dir, 'c.png'), style: [path.join(dir, 's.png')], optimizer: 'adam', imageSize: 128, iterations: 120, outputs: 2, out, ...extra });
    const sev: string[] = [];
    for (const seed of [0, 1]) {
      const f = await frameOf(path.join(out, `c_s${seed}.png`));
      const h = grayHaze.detect({ kind: 'image', frame: f, count: 1 });
      const b = borderLines.detect({ kind: 'image', frame: f, count: 1 });
      sev.push(`haze ${h.severity.toFixed(3)} border ${b.severity.toFixed(3)}`);
    }
    console.log('RUN', name, r.code, (Date.now() - t0) / 1000, sev.join(' | '), r.stderr.slice(0, 200));
  }
}, 900000);
