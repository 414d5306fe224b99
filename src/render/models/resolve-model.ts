import { promises as fs } from 'node:fs';
import { InputError } from '../../errors.js';
import type { Network } from '../network.js';
import { loadCaffe } from './caffe-loader.js';
import { EMBEDDED_NAME, embeddedNetwork, RANDOM_VGG19_NAME, randomVgg19Network } from './embedded.js';
import { loadTorchvisionOnnx } from './onnx-loader.js';

export const BUILTIN_MODELS = [EMBEDDED_NAME, RANDOM_VGG19_NAME] as const;

/** `--model`: a built-in name, an .onnx file (torchvision VGG) or a .caffemodel (+ .prototxt). */
export async function resolveModel(spec: string, protoFile?: string): Promise<Network> {
  if (spec === EMBEDDED_NAME) return embeddedNetwork();
  if (spec === RANDOM_VGG19_NAME) return randomVgg19Network();
  const lower = spec.toLowerCase();
  if (!lower.endsWith('.onnx') && !lower.endsWith('.caffemodel')) {
    throw new InputError(`--model ${spec}`, `unknown model (use ${BUILTIN_MODELS.join(' or ')}, an .onnx file or a .caffemodel file)`);
  }
  try {
    await fs.access(spec);
  } catch {
    throw new InputError(spec, 'no such file');
  }
  if (lower.endsWith('.onnx')) return loadTorchvisionOnnx(spec);
  const proto = protoFile ?? (await siblingPrototxt(spec));
  return loadCaffe(spec, proto);
}

async function siblingPrototxt(modelFile: string): Promise<string> {
  const guess = modelFile.replace(/\.caffemodel$/i, '.prototxt');
  try {
    await fs.access(guess);
    return guess;
  } catch {
    throw new InputError(modelFile, `needs its .prototxt: pass --proto-file (looked for ${guess})`);
  }
}
