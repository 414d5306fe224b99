import { checkDevice, DeviceError, DEVICES, type Device } from './engine.js';

/** Child of probeDevice: open a one-node session on the device; exit 0, or print the one-line reason and exit 2. */
const device = process.argv[2] as Device;
if (!DEVICES.includes(device)) {
  process.stdout.write(`--device ${String(device)}: unknown device\n`);
  process.exit(2);
}
try {
  await checkDevice({ device, threads: 1 });
  process.exit(0);
} catch (error) {
  process.stdout.write(`${error instanceof DeviceError ? error.message : `--device ${device}: ONNX Runtime could not use it (${String((error as Error)?.message ?? error).split('\n')[0]})`}\n`);
  process.exit(2);
}
