/** ONNX Runtime execution providers `--device` accepts (a leaf module: settings and the public types need it without the engine). */
export type Device = 'cpu' | 'webgpu' | 'cuda';
export const DEVICES: readonly Device[] = ['cpu', 'webgpu', 'cuda'];
