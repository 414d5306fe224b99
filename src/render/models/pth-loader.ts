import { InputError } from '../input-error.js';
import type { Network } from '../network.js';

export async function loadPth(file: string): Promise<Network> {
  throw new InputError(file, 'PyTorch .pth files are not supported yet');
}
