import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../errors.js';
import type { KnownFile, KnownNetwork } from './catalogue.js';
import { loadFile } from './resolve-model.js';

/**
 * `artifact-scan models get`: downloads a known network from its publisher into a model
 * folder. The body goes to `<file>.part`; an interrupted transfer (dropped connection, killed
 * process) resumes from the .part's length with an HTTP Range request; the file is checked
 * (it must load and have the network's conv widths, and match the SHA-256 prefix its name
 * carries) before it is renamed into place, so a model file is never half-written.
 */
export interface GetOptions {
  dir: string;
  /** Replaces each URL's folder (mirrors, tests): `<urlBase>/<file name>`. */
  urlBase?: string | null;
  /** Called as bytes arrive (resumed bytes count as received). */
  onProgress?: (file: string, received: number, total: number | null) => void;
  onStart?: (file: string, url: string, resumeFrom: number) => void;
  /** Attempts per file after a dropped connection (each resumes). */
  attempts?: number;
}

export interface GetResult {
  file: string;
  prototxt?: string;
  bytes: number;
  /** Already there and valid: nothing downloaded. */
  existed: boolean;
  check: string;
}

export class DownloadError extends Error {}

export function downloadable(network: KnownNetwork): KnownFile | undefined {
  return network.files.find((f) => f.url !== null && (f.format !== 'caffe' || f.prototxt?.some((p) => p.url !== null)));
}

export async function getNetwork(network: KnownNetwork, o: GetOptions): Promise<GetResult> {
  const known = downloadable(network);
  if (!known) throw new InputError(`models get ${network.id}`, `no direct download is published; ${network.howToGet}`);
  await fs.mkdir(o.dir, { recursive: true });
  const target = path.join(o.dir, known.name);
  let prototxt: string | undefined;
  if (known.format === 'caffe') {
    const p = known.prototxt!.find((x) => x.url !== null)!;
    prototxt = path.join(o.dir, p.name);
    if (!(await isFile(prototxt))) await fetchToFile(urlFor(p.url!, p.name, o.urlBase), prototxt, o);
  }
  if (await isFile(target)) {
    const check = await verify(network, known, target, prototxt);
    return { file: target, prototxt, bytes: (await fs.stat(target)).size, existed: true, check };
  }
  const part = `${target}.part`;
  await fetchToFile(urlFor(known.url!, known.name, o.urlBase), part, o, false);
  let check: string;
  try {
    check = await verify(network, known, part, prototxt);
  } catch (err) {
    await fs.rm(part, { force: true });
    throw err;
  }
  await fs.rename(part, target);
  return { file: target, prototxt, bytes: (await fs.stat(target)).size, existed: false, check };
}

function urlFor(url: string, name: string, base?: string | null): string {
  return base ? `${base.replace(/\/+$/, '')}/${name}` : url;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * GET url into `dest` (resuming from dest's current length when `resume`, else from a
 * `.part` beside it for small files). Retries after dropped connections.
 */
async function fetchToFile(url: string, dest: string, o: GetOptions, small = true): Promise<void> {
  const part = small ? `${dest}.part` : dest;
  const attempts = o.attempts ?? 5;
  const name = path.basename(small ? dest : dest.replace(/\.part$/, ''));
  let lastError = '';
  for (let attempt = 0; attempt < attempts; attempt++) {
    let have = 0;
    try {
      have = (await fs.stat(part)).size;
    } catch {
      have = 0;
    }
    o.onStart?.(name, url, have);
    let res: Response;
    try {
      res = await fetch(url, { headers: have > 0 ? { Range: `bytes=${have}-` } : {}, redirect: 'follow' });
    } catch (err) {
      lastError = (err as Error).cause ? String((err as { cause: Error }).cause.message ?? (err as Error).cause) : (err as Error).message;
      await delay(attempt);
      continue;
    }
    if (res.status === 416 && have > 0) {
      // The .part is already complete (or longer than the file): start over to be sure.
      await res.body?.cancel();
      await fs.rm(part, { force: true });
      continue;
    }
    if (res.status !== 200 && res.status !== 206) {
      await res.body?.cancel();
      throw new DownloadError(`${url}: HTTP ${res.status} ${res.statusText}`);
    }
    const append = res.status === 206;
    if (!append) have = 0;
    const length = Number(res.headers.get('content-length') ?? NaN);
    const total = Number.isFinite(length) ? have + length : null;
    const fh = await fs.open(part, append ? 'a' : 'w');
    let received = have;
    try {
      if (!res.body) throw new Error('empty response');
      for await (const chunk of res.body) {
        await fh.write(chunk as Uint8Array);
        received += (chunk as Uint8Array).length;
        o.onProgress?.(name, received, total);
      }
    } catch (err) {
      lastError = `connection dropped at byte ${received} (${(err as Error).message})`;
      await fh.close();
      await delay(attempt);
      continue;
    }
    await fh.close();
    if (total !== null && received !== total) {
      lastError = `connection closed at byte ${received} of ${total}`;
      await delay(attempt);
      continue;
    }
    if (small) await fs.rename(part, dest);
    return;
  }
  throw new DownloadError(`${url}: download failed after ${attempts} attempts (${lastError}); run the same command again to resume`);
}

function delay(attempt: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
}

/** The file must load as the network (same conv widths) and match its name's SHA-256 prefix. */
async function verify(network: KnownNetwork, known: KnownFile, file: string, prototxt?: string): Promise<string> {
  const name = known.name;
  if (known.sha256Prefix) {
    const digest = await sha256(file);
    if (!digest.startsWith(known.sha256Prefix)) throw new InputError(name, `SHA-256 ${digest.slice(0, 16)}... does not start with ${known.sha256Prefix} (the file is damaged or not the published one)`);
  }
  let widths: number[];
  try {
    const net = await loadFile(file, known.format, prototxt);
    widths = net.layers.flatMap((l) => (l.type === 'conv' ? [l.outChannels] : []));
  } catch (err) {
    if (err instanceof InputError) throw new InputError(name, `the downloaded file does not load (${err.problem})`);
    throw err;
  }
  if (widths.join(',') !== network.convWidths.join(',')) {
    throw new InputError(name, `the downloaded file is not ${network.id}: conv widths ${widths.join(',')} (expected ${network.convWidths.join(',')})`);
  }
  return `${widths.length} convs with ${network.id}'s widths${known.sha256Prefix ? `, SHA-256 starts with ${known.sha256Prefix}` : ''}`;
}

export function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}
