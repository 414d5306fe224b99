/**
 * The trained networks users already have, by the file names their tools download them under,
 * with the publishers' URLs. Data only: resolution (`find-model.ts`) and download
 * (`download.ts`) read it. Sizes are those of the published files.
 */
export type ModelFormat = 'caffe' | 'pth' | 'onnx';

export interface KnownFile {
  /** File name as the publisher (or the tool that downloads it) names it. */
  name: string;
  format: ModelFormat;
  /** Who uses this file (for `models` listings). */
  from: string;
  /** Direct download URL, or null where the publisher offers none (a sentence in `howToGet`). */
  url: string | null;
  /** Companion prototxt files (Caffe), tried in this order beside the model; the first is downloaded. */
  prototxt?: { name: string; url: string | null }[];
  /** Leading hex digits of the file's SHA-256 when its name carries them (torchvision's convention). */
  sha256Prefix?: string;
  /** Approximate size in bytes, for messages. */
  size: number;
}

export interface KnownNetwork {
  id: string;
  title: string;
  /** Conv output widths in order, as the loaders must produce them (the download check). */
  convWidths: number[];
  /** Files in order of preference; `models get` fetches the first one with a URL. */
  files: KnownFile[];
  /** What to do when no file has a URL or the user wants another format. */
  howToGet: string;
}

const VGG19_DEPLOY = { name: 'VGG_ILSVRC_19_layers_deploy.prototxt', url: 'https://gist.githubusercontent.com/ksimonyan/3785162f95cd2d5fee77/raw/f43eeefc869d646b449aa6ce66f87bf987a1c9b5/VGG_ILSVRC_19_layers_deploy.prototxt' };
const VGG16_DEPLOY = { name: 'VGG_ILSVRC_16_layers_deploy.prototxt', url: 'https://gist.githubusercontent.com/ksimonyan/211839e770f7b538e2d8/raw/VGG_ILSVRC_16_layers_deploy.prototxt' };
const vggWidths = (blocks: number[]): number[] => blocks.flatMap((n, i) => Array<number>(n).fill([64, 128, 256, 512, 512][i]));

export const KNOWN_NETWORKS: KnownNetwork[] = [
  {
    id: 'vgg19',
    title: 'VGG-19 (Simonyan & Zisserman 2014), ImageNet-trained: neural-style\'s default',
    convWidths: vggWidths([2, 2, 4, 4, 4]),
    files: [
      { name: 'VGG_ILSVRC_19_layers.caffemodel', format: 'caffe', from: 'neural-style (models/download_models.sh)', url: 'http://www.robots.ox.ac.uk/~vgg/software/very_deep/caffe/VGG_ILSVRC_19_layers.caffemodel', prototxt: [VGG19_DEPLOY], size: 574_671_192 },
      { name: 'vgg19-d01eb7cb.pth', format: 'pth', from: 'neural-style-pt (models/download_models.py)', url: 'https://web.eecs.umich.edu/~justincj/models/vgg19-d01eb7cb.pth', size: 574_673_361 },
      { name: 'vgg19-dcbb9e9d.pth', format: 'pth', from: 'torchvision (VGG19_Weights.IMAGENET1K_V1)', url: 'https://download.pytorch.org/models/vgg19-dcbb9e9d.pth', sha256Prefix: 'dcbb9e9d', size: 574_673_361 },
      { name: 'vgg19.onnx', format: 'onnx', from: 'torchvision, exported with torch.onnx.export', url: null, size: 574_000_000 },
    ],
    howToGet: 'artifact-scan models get vgg19',
  },
  {
    id: 'vgg16',
    title: 'VGG-16 (Simonyan & Zisserman 2014), ImageNet-trained',
    convWidths: vggWidths([2, 2, 3, 3, 3]),
    files: [
      { name: 'VGG_ILSVRC_16_layers.caffemodel', format: 'caffe', from: 'Caffe model zoo (neural-style -model_file)', url: 'http://www.robots.ox.ac.uk/~vgg/software/very_deep/caffe/VGG_ILSVRC_16_layers.caffemodel', prototxt: [VGG16_DEPLOY], size: 553_432_081 },
      { name: 'vgg16-00b39a1b.pth', format: 'pth', from: 'neural-style-pt (models/download_models.py)', url: 'https://web.eecs.umich.edu/~justincj/models/vgg16-00b39a1b.pth', size: 553_433_881 },
      { name: 'vgg16-397923af.pth', format: 'pth', from: 'torchvision (VGG16_Weights.IMAGENET1K_V1)', url: 'https://download.pytorch.org/models/vgg16-397923af.pth', sha256Prefix: '397923af', size: 553_433_881 },
      { name: 'vgg16.onnx', format: 'onnx', from: 'torchvision, exported with torch.onnx.export', url: null, size: 553_000_000 },
    ],
    howToGet: 'artifact-scan models get vgg16',
  },
  {
    id: 'vgg19-normalised',
    title: 'VGG-19 with normalised activations (Gatys et al. 2015, bethgelab): conv layers only',
    convWidths: vggWidths([2, 2, 4, 4, 4]),
    files: [
      { name: 'vgg_normalised.caffemodel', format: 'caffe', from: 'neural-style (models/download_models.sh)', url: 'https://bethgelab.org/media/uploads/deeptextures/vgg_normalised.caffemodel', prototxt: [{ name: 'vgg_normalised.prototxt', url: null }, VGG19_DEPLOY], size: 80_126_892 },
    ],
    howToGet: 'artifact-scan models get vgg19-normalised',
  },
  {
    id: 'nin',
    title: 'Network-in-Network ImageNet (Lin et al. 2013): small and fast, neural-style\'s low-memory option',
    convWidths: [96, 96, 96, 256, 256, 256, 384, 384, 384, 1024, 1024, 1000],
    files: [
      { name: 'nin_imagenet_conv.caffemodel', format: 'caffe', from: 'neural-style README (by hand)', url: null, prototxt: [{ name: 'train_val.prototxt', url: null }], size: 30_000_000 },
      { name: 'nin_imagenet.pth', format: 'pth', from: 'neural-style-pt (models/download_models.py)', url: 'https://raw.githubusercontent.com/ProGamerGov/pytorch-nin/master/nin_imagenet.pth', size: 30_000_000 },
    ],
    howToGet: 'artifact-scan models get nin (or nin_imagenet_conv.caffemodel + train_val.prototxt by hand from https://gist.github.com/mavenlin/d802a5849de39225bcc6)',
  },
];

export function knownNetwork(id: string): KnownNetwork | undefined {
  return KNOWN_NETWORKS.find((n) => n.id === id);
}

/** The network a known file name belongs to, and the file. */
export function knownFile(name: string): { network: KnownNetwork; file: KnownFile } | undefined {
  for (const network of KNOWN_NETWORKS) {
    const file = network.files.find((f) => f.name === name);
    if (file) return { network, file };
  }
  return undefined;
}
