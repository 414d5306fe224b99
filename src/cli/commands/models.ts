import path from 'node:path';
import cliProgress from 'cli-progress';
import { InputError } from '../../errors.js';
import { KNOWN_NETWORKS, knownNetwork } from '../../render/models/catalogue.js';
import { DownloadError, downloadable, getNetwork } from '../../render/models/download.js';
import { downloadDir, findNetwork, searchDirs } from '../../render/models/find-model.js';
import type { CliIo } from '../io.js';
import { EXIT } from '../../errors.js';

/** Overrides the publishers' URL folders (a mirror, or the tests' local server). */
export const URL_BASE_ENV = 'ARTIFACT_SCAN_MODELS_URL';

/**
 * `artifact-scan models`: lists the known networks, where each was found, its size and format,
 * and how to get it. `artifact-scan models get <name>` downloads one (see download.ts).
 */
export async function runModelsCommand(inputs: string[], options: Record<string, unknown>, io: CliIo): Promise<number> {
  const dirs = { modelDir: (options.modelDir as string | undefined) ?? null, env: io.env, cwd: io.cwd };
  const [action, name, ...rest] = inputs;
  if (action === undefined || action === 'list') return list(io, dirs);
  if (action !== 'get') {
    io.stderr.write(`artifact-scan models: unknown action "${action}" (use 'artifact-scan models' to list, 'artifact-scan models get <name>' to download)\n`);
    return EXIT.usage;
  }
  const network = name ? knownNetwork(name) : undefined;
  if (!network || rest.length) {
    io.stderr.write(`artifact-scan models get: name one network: ${KNOWN_NETWORKS.map((n) => n.id).join(', ')}\n`);
    return EXIT.usage;
  }
  const dir = downloadDir(dirs);
  const bar = io.isTTY ? new cliProgress.SingleBar({ stream: io.stderr as NodeJS.WriteStream, format: '{file} [{bar}] {percentage}% | {mb} MB | ETA {eta_formatted}', hideCursor: true, clearOnComplete: true, etaBuffer: 200 }, cliProgress.Presets.shades_classic) : null;
  let barFile = '';
  try {
    const result = await getNetwork(network, {
      dir,
      urlBase: io.env[URL_BASE_ENV] ?? null,
      onStart: (file, url, from) => {
        bar?.stop();
        barFile = '';
        io.stdout.write(`${from > 0 ? 'resuming' : 'downloading'} ${file} from ${url}${from > 0 ? ` at ${(from / 1e6).toFixed(1)} MB` : ''}\n`);
      },
      onProgress: (file, received, total) => {
        if (!bar || total === null) return;
        if (barFile !== file) {
          bar.start(total, received, { file, mb: (received / 1e6).toFixed(1) });
          barFile = file;
        }
        bar.update(received, { mb: (received / 1e6).toFixed(1) });
      },
    });
    bar?.stop();
    const verb = result.existed ? 'already there' : 'saved';
    io.stdout.write(`${verb}: ${result.file} (${(result.bytes / 1e6).toFixed(1)} MB${result.prototxt ? ` + ${path.basename(result.prototxt)}` : ''}; checked: ${result.check})\n`);
    io.stdout.write(`use it with: artifact-scan render --model ${network.id}${dir === searchDirs(dirs)[0]?.dir && dirs.modelDir ? ` --model-dir ${dirs.modelDir}` : ''} ...\n`);
    return EXIT.ok;
  } catch (err) {
    bar?.stop();
    if (err instanceof InputError || err instanceof DownloadError) {
      io.stderr.write(`${err.message}\n`);
      return EXIT.usage;
    }
    throw err;
  }
}

async function list(io: CliIo, dirs: { modelDir: string | null; env: NodeJS.ProcessEnv; cwd: string }): Promise<number> {
  io.stdout.write(`Searched, in order: ${searchDirs(dirs).map((d) => `${d.dir} (${d.why})`).join(', ')}\n\n`);
  for (const network of KNOWN_NETWORKS) {
    const { found, withoutPrototxt } = await findNetwork(network, dirs);
    io.stdout.write(`${network.id}: ${network.title}\n`);
    if (found) {
      io.stdout.write(`  found: ${found.file} (${found.known.format}, ${(found.size / 1e6).toFixed(1)} MB${found.prototxt ? `, with ${path.basename(found.prototxt)}` : ''}; ${found.known.from})\n`);
    } else {
      io.stdout.write('  not found\n');
      for (const f of withoutPrototxt) io.stdout.write(`  ${f} has no .prototxt beside it (tried <name>.prototxt, <name>_deploy.prototxt, deploy.prototxt, train_val.prototxt)\n`);
    }
    io.stdout.write(`  files it may be: ${network.files.map((f) => `${f.name} (${f.format})`).join(', ')}\n`);
    const d = downloadable(network);
    io.stdout.write(`  get it: ${network.howToGet}${d ? ` (${d.name}, about ${Math.round(d.size / 1e6)} MB, from ${new URL(d.url!).host})` : ''}\n\n`);
  }
  io.stdout.write(`Use one with: artifact-scan render --model vgg19 ... (the default, --model embedded, has random weights)\n`);
  return EXIT.ok;
}
