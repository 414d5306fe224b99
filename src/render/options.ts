import type { OptionSpec } from '../option-spec.js';

/**
 * Options of `artifact-scan render` (and the few `demo` shares). `neuralStyle` gives
 * jcjohnson/neural-style's spelling and default for docs/render.md.
 */
export const renderOptions: OptionSpec[] = [
  // Input
  { flags: '--content <image>', description: 'the content image', kind: 'string', commands: ['render'], group: 'Input', neuralStyle: '-content_image (examples/inputs/tubingen.jpg)' },
  { flags: '--style <images>', description: 'one or more style images, comma-separated', kind: 'list', commands: ['render'], group: 'Input', neuralStyle: '-style_image (examples/inputs/seated-nude.jpg)' },
  { flags: '--style-blend-weights <weights>', description: 'comma-separated weight per style image (normalised to sum 1); default equal', kind: 'list', commands: ['render'], group: 'Input', neuralStyle: '-style_blend_weights (nil = equal)' },
  { flags: '--init <kind>', description: 'start from noise (random) or from the content image / --init-image (image)', kind: 'string', choices: ['random', 'image'], default: 'random', commands: ['render'], group: 'Input', neuralStyle: '-init (random)' },
  { flags: '--init-image <image>', description: 'with --init image: start from this image instead of the content image', kind: 'string', commands: ['render'], group: 'Input', neuralStyle: "-init_image ('')" },
  // Size
  { flags: '--image-size <px>', description: 'longest side of the output in pixels', kind: 'int', default: 512, positive: true, max: 8192, commands: ['render'], group: 'Size', neuralStyle: '-image_size (512)' },
  { flags: '--style-scale <factor>', description: 'style images are resized to image-size times this', kind: 'float', default: 1, positive: true, commands: ['render'], group: 'Size', neuralStyle: '-style_scale (1.0)' },
  { flags: '--multiscale <sizes>', description: "render in stages: comma-separated sizes or 'auto' (steps of sqrt(2) from 128 up to --image-size); each stage starts from the previous one upsampled bicubically", kind: 'string', commands: ['render'], group: 'Size', neuralStyle: '(none; multires scripts chain -init_image)' },
  // Loss
  { flags: '--content-weight <w>', description: 'content loss weight', kind: 'float', min: 0, defaultText: '5 (embedded model: 100; random-bank: 200)', commands: ['render'], group: 'Loss', neuralStyle: '-content_weight (5e0)' },
  { flags: '--style-weight <w>', description: 'style loss weight', kind: 'float', min: 0, defaultText: '100 (random-bank: 1e5)', commands: ['render'], group: 'Loss', neuralStyle: '-style_weight (1e2)' },
  { flags: '--tv-weight <w>', description: 'total-variation (smoothness) weight', kind: 'float', min: 0, default: 1e-3, commands: ['render'], group: 'Loss', neuralStyle: '-tv_weight (1e-3)' },
  { flags: '--content-layers <layers>', description: 'comma-separated content layers', kind: 'list', defaultText: 'relu4_2 (embedded: relu2_1; random-bank: relu1; NIN: relu7)', commands: ['render'], group: 'Loss', neuralStyle: '-content_layers (relu4_2)' },
  { flags: '--style-layers <layers>', description: 'comma-separated style layers', kind: 'list', defaultText: 'relu1_1,relu2_1,relu3_1,relu4_1,relu5_1 (embedded: up to relu4_1; random-bank: relu1; NIN: relu0,relu3,relu7,relu12)', commands: ['render'], group: 'Loss', neuralStyle: '-style_layers (relu1_1,relu2_1,relu3_1,relu4_1,relu5_1)' },
  { flags: '--normalize-gradients', description: "divide each loss layer's gradient by its L1 norm (as neural-style)", kind: 'boolean', commands: ['render'], group: 'Loss', neuralStyle: '-normalize_gradients (false)' },
  { flags: '--original-colors', description: "keep the content image's colours (output luminance, content chroma)", kind: 'boolean', commands: ['render'], group: 'Loss', neuralStyle: '-original_colors (0)' },
  // Optimiser
  { flags: '--optimizer <name>', description: 'lbfgs or adam', kind: 'string', choices: ['lbfgs', 'adam'], default: 'lbfgs', commands: ['render'], group: 'Optimiser', neuralStyle: '-optimizer (lbfgs)' },
  { flags: '--iterations <n>', description: 'iterations per output (per stage with --multiscale)', kind: 'int', default: 1000, positive: true, commands: ['render'], group: 'Optimiser', neuralStyle: '-num_iterations (1000)' },
  { flags: '--learning-rate <lr>', description: 'Adam step size (L-BFGS uses a step of 1, as neural-style)', kind: 'float', default: 10, positive: true, commands: ['render'], group: 'Optimiser', neuralStyle: '-learning_rate (1e1)' },
  { flags: '--beta1 <b>', description: "Adam's first-moment decay; 0.99 (with --epsilon 1e-1) removes gray haze", kind: 'float', default: 0.9, min: 0, max: 0.999999, commands: ['render'], group: 'Optimiser', neuralStyle: '(fixed 0.9, optim default)' },
  { flags: '--beta2 <b>', description: "Adam's second-moment decay", kind: 'float', default: 0.999, min: 0, max: 0.999999, commands: ['render'], group: 'Optimiser', neuralStyle: '(fixed 0.999, optim default)' },
  { flags: '--epsilon <e>', description: "Adam's epsilon; 1e-1 (with --beta1 0.99) removes gray haze", kind: 'float', default: 1e-8, positive: true, commands: ['render'], group: 'Optimiser', neuralStyle: '(fixed 1e-8, optim default)' },
  { flags: '--lbfgs-num-correction <n>', description: 'L-BFGS history length; 0 means 100', kind: 'int', default: 0, min: 0, commands: ['render'], group: 'Optimiser', neuralStyle: '-lbfgs_num_correction (0)' },
  { flags: '--ema <decay>', description: 'save the bias-corrected moving average of the iterates (e.g. 0.99) instead of the last iterate', kind: 'float', min: 0, max: 0.999999, commands: ['render'], group: 'Optimiser', neuralStyle: '(none; crowsonkb style-transfer-pytorch --avg-decay)' },
  // Model
  { flags: '--model <name|path>', description: "'embedded' (random-weight VGG-19 layout, no download), 'random-vgg19', 'random-bank' (random multi-scale filter bank: better textures, 2-3x slower), a trained network by name (vgg19, vgg16, nin, vgg19-normalised: see 'artifact-scan models'), or a file: Caffe .caffemodel (VGG-19, VGG-16, NIN), PyTorch .pth (torchvision or neural-style-pt state dict) or torchvision VGG .onnx", kind: 'string', default: 'embedded', commands: ['render'], group: 'Model', neuralStyle: '-model_file (models/VGG_ILSVRC_19_layers.caffemodel)' },
  { flags: '--proto-file <path>', description: "the .prototxt of a Caffe model (default: found beside the .caffemodel: <name>.prototxt, <name>_deploy.prototxt, deploy.prototxt, train_val.prototxt)", kind: 'string', commands: ['render'], group: 'Model', neuralStyle: '-proto_file (models/VGG_ILSVRC_19_layers_deploy.prototxt)' },
  { flags: '--model-dir <dir>', description: 'folder searched first for named models; then $ARTIFACT_SCAN_MODELS, $XDG_CACHE_HOME/artifact-scan/models (default ~/.cache/...), ./models', kind: 'string', commands: ['render', 'models'], group: 'Model', neuralStyle: '(models/, fixed)' },
  { flags: '--pooling <kind>', description: 'max or avg pooling', kind: 'string', choices: ['max', 'avg'], default: 'max', commands: ['render'], group: 'Model', neuralStyle: '-pooling (max)' },
  { flags: '--padding <mode>', description: 'conv padding: zero (as trained), reflect or replicate (fewer border lines)', kind: 'string', choices: ['zero', 'reflect', 'replicate'], default: 'zero', commands: ['render'], group: 'Model', neuralStyle: '(zero, fixed)' },
  // Output
  { flags: '--out <dir>', description: 'output folder (outputs <name>_s<seed>.png and manifest.json)', kind: 'string', default: 'out', commands: ['render'], group: 'Output', neuralStyle: '-output_image (out.png)' },
  { flags: '--out <dir>', description: 'demo folder: inputs/, renders/ and report.html go here (its own folder, so nothing of yours is touched)', kind: 'string', default: 'artifact-scan-demo', commands: ['demo'], group: 'Output' },
  { flags: '--outputs <n>', description: 'number of outputs: seeds --seed .. --seed+n-1 (more than 1000 needs --yes)', kind: 'int', default: 1, positive: true, commands: ['render'], group: 'Output', neuralStyle: '(one per run)' },
  { flags: '--yes', description: 'start a render of more than 1000 outputs without asking', kind: 'boolean', commands: ['render'], group: 'Output' },
  { flags: '--seed <n>', description: 'seed of the first output (the others count up from it); seeds are 32-bit, 0 .. 4294967295', kind: 'int', default: 0, min: 0, max: 4294967295, commands: ['render'], group: 'Output', neuralStyle: '-seed (-1 = unseeded)' },
  { flags: '--name <name>', description: "file name prefix of the outputs (default: the content file's name); a plain name, no folders", kind: 'string', commands: ['render'], group: 'Output' },
  { flags: '--save-every <n>', description: 'also save the image every n iterations (0: only the final image)', kind: 'int', default: 0, min: 0, commands: ['render'], group: 'Output', neuralStyle: '-save_iter (100)' },
  { flags: '--print-every <n>', description: 'print the losses every n iterations (0: never)', kind: 'int', default: 50, min: 0, commands: ['render'], group: 'Output', neuralStyle: '-print_iter (50)' },
  // Engine
  { flags: '--device <device>', description: 'ONNX Runtime execution provider: cpu, webgpu (Vulkan/Metal/D3D12) or cuda (needs ORT CUDA; docs/engine.md)', kind: 'string', choices: ['cpu', 'webgpu', 'cuda'], default: 'cpu', commands: ['render', 'demo'], group: 'Engine', neuralStyle: '-gpu (0; -1 = CPU)' },
  { flags: '--verbose', description: "show the native engine's log lines (ONNX Runtime, the WebGPU backend; silenced by default), and the stack trace of an internal error", kind: 'boolean', commands: ['render', 'demo'], group: 'Engine' },
  { flags: '--threads <n>', description: 'CPU threads for ONNX Runtime (0: one per core)', kind: 'int', default: 0, min: 0, commands: ['render', 'demo'], group: 'Engine', neuralStyle: '(none)' },
];
