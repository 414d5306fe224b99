import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { runRender } from '../../src/cli/commands/render.js';
import { demoContent, demoStyle } from '../../src/render/demo-images.js';
import { savePngAtomic } from '../../src/render/image-io.js';

export class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

export async function makeInputs(): Promise<{ dir: string; content: string; style: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'render-test-'));
  const content = path.join(dir, 'content.png');
  const style = path.join(dir, 'style.png');
  await savePngAtomic(content, demoContent(96, 72));
  await savePngAtomic(style, demoStyle(64, 64));
  return { dir, content, style };
}

export async function render(opts: Record<string, unknown>): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runRender({ printEvery: 0, threads: 2, ...opts }, { stdout, stderr, isTTY: false });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
