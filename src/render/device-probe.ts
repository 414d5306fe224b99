import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DeviceError, type Device } from './engine.js';

const PROBE_FILE = fileURLToPath(new URL('./device-probe-child.js', import.meta.url));

/**
 * Try a GPU device in a child process before using it. Native libraries print to the process's
 * own stderr (Dawn's "Couldn't load Vulkan ... at operator() (...)"), which no log level in
 * ONNX Runtime reaches; a child's stderr is ours to drop, so an unusable device is one line.
 * The CPU needs no probe; with --verbose the native lines are wanted, so there is none either.
 */
export async function probeDevice(device: Device, verbose: boolean): Promise<void> {
  // Under a TypeScript test runner the compiled child does not exist: the in-process error stands.
  if (device === 'cpu' || verbose || !existsSync(PROBE_FILE)) return;
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [PROBE_FILE, device], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (exit) => resolve({ code: exit, stdout: out }));
  });
  if (code === 0) return;
  const message = stdout.trim().split('\n').pop();
  throw new DeviceError(message || `--device ${device}: ONNX Runtime could not use it (the device probe exited with ${code ?? 'a signal'}); see docs/engine.md`);
}
