import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../errors.js';
import type { Network } from '../network.js';
import { loadCaffe } from './caffe-loader.js';
import type { KnownNetwork, ModelFormat } from './catalogue.js';
import { KNOWN_NETWORKS, knownNetwork } from './catalogue.js';
import { EMBEDDED_NAME, embeddedNetwork, RANDOM_BANK_NAME, randomBankNetwork, RANDOM_VGG19_NAME, randomVgg19Network } from './embedded.js';
import type { ModelDirs } from './find-model.js';
import { findNetwork, findPrototxt, searchDirs } from './find-model.js';
import { loadTorchvisionOnnx } from './onnx-loader.js';
import { loadPth } from './pth-loader.js';

export const BUILTIN_MODELS = [EMBEDDED_NAME, RANDOM_VGG19_NAME, RANDOM_BANK_NAME] as const;

/**
 * `--model`: a built-in name, a known network name (vgg19, vgg16, nin, vgg19-normalised: found
 * in the model folders), or a file: .caffemodel (+ .prototxt), .pth (PyTorch state dict) or
 * .onnx (torchvision VGG export).
 */
export async function resolveModel(spec: string, protoFile?: string, dirs: ModelDirs = {}): Promise<Network> {
  if (spec === EMBEDDED_NAME) return embeddedNetwork();
  if (spec === RANDOM_VGG19_NAME) return randomVgg19Network();
  if (spec === RANDOM_BANK_NAME) return randomBankNetwork();
  const network = knownNetwork(spec);
  if (network) return loadKnown(network, protoFile, dirs);
  const format = formatOf(spec);
  if (!format) {
    throw new InputError(`--model ${spec}`, `unknown model (use ${[...BUILTIN_MODELS, ...KNOWN_NETWORKS.map((n) => n.id)].join(', ')}, or a .caffemodel, .pth or .onnx file)`);
  }
  try {
    await fs.access(spec);
  } catch {
    throw new InputError(spec, 'no such file');
  }
  return loadFile(spec, format, protoFile);
}

export function formatOf(file: string): ModelFormat | null {
  const lower = file.toLowerCase();
  if (lower.endsWith('.caffemodel')) return 'caffe';
  if (lower.endsWith('.pth') || lower.endsWith('.pt')) return 'pth';
  if (lower.endsWith('.onnx')) return 'onnx';
  return null;
}

export async function loadFile(file: string, format: ModelFormat, protoFile?: string): Promise<Network> {
  if (format === 'onnx') return loadTorchvisionOnnx(file);
  if (format === 'pth') return loadPth(file);
  if (protoFile) return loadCaffe(file, protoFile);
  const proto = await findPrototxt(file);
  if (!proto.found) throw new InputError(file, `needs its .prototxt: pass --proto-file (looked for ${proto.tried.map((t) => path.basename(t)).join(', ')} in ${path.dirname(file)})`);
  return loadCaffe(file, proto.found);
}

async function loadKnown(network: KnownNetwork, protoFile: string | undefined, dirs: ModelDirs): Promise<Network> {
  const { found, withoutPrototxt } = await findNetwork(network, dirs);
  if (!found) {
    const where = searchDirs(dirs).map((d) => d.dir).join(', ');
    const missingProto = withoutPrototxt.length ? `; ${withoutPrototxt[0]} has no .prototxt beside it` : '';
    throw new InputError(`--model ${network.id}`, `no file of this network in ${where}${missingProto}; get it with '${network.howToGet}', or put one of ${network.files.map((f) => f.name).join(', ')} in ./models`);
  }
  const net = await loadFile(found.file, found.known.format, protoFile ?? found.prototxt);
  return { ...net, name: network.id, source: `${net.source} (found in ${found.dir.why}: ${found.file})` };
}
