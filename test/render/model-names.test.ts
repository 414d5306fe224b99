import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ninCaffeLayers, vggCaffeLayers, writeCaffePair } from '../../fixtures/models/caffe-files.js';
import { InputError } from '../../src/errors.js';
import type { KnownNetwork } from '../../src/render/models/catalogue.js';
import { knownNetwork } from '../../src/render/models/catalogue.js';
import { getNetwork } from '../../src/render/models/download.js';
import { searchDirs } from '../../src/render/models/find-model.js';
import { resolveModel } from '../../src/render/models/resolve-model.js';
import { REPO_ROOT, runCli } from '../helpers.js';
import { makeInputs, render } from './helpers.js';

/** stderr without render's per-output progress lines (`wrote <file> ...`), which go there with the other diagnostics. */
const withoutProgress = (stderr: string): string => stderr.split('\n').filter((l) => !l.startsWith('wrote ')).join('\n');

const dir = mkdtempSync(path.join(tmpdir(), 'model-names-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMALL = { widths: [3, 4, 5, 6, 6], fcWidths: [8, 8, 5] };
const SMALL_WIDTHS = [3, 3, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6];
/** vgg19's catalogue entry with the small widths our generated files have. */
const smallVgg19 = (): KnownNetwork => ({ ...knownNetwork('vgg19')!, convWidths: SMALL_WIDTHS });

function sub(name: string): string {
  const d = path.join(dir, name);
  mkdirSync(d, { recursive: true });
  return d;
}

/** A generated VGG-19 pair in `d` under neural-style's names. */
function vgg19Pair(d: string, depth: 16 | 19 = 19): void {
  writeCaffePair(path.join(d, 'VGG_ILSVRC_19_layers.caffemodel'), path.join(d, 'VGG_ILSVRC_19_layers_deploy.prototxt'), 'VGG_ILSVRC_19_layers', vggCaffeLayers(depth, SMALL), { format: 'v1', seed: depth });
}

// ---- a local HTTP server with Range support that can drop a connection half-way ----
const served = new Map<string, Buffer>();
const dropOnce = new Set<string>();
const requests: { name: string; range: string | null }[] = [];
let server: http.Server;
let base = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '').replace(/^\/models\//, ''));
    const body = served.get(name);
    requests.push({ name, range: req.headers.range ?? null });
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const from = m ? Number(m[1]) : 0;
    if (from >= body.length) {
      res.writeHead(416).end();
      return;
    }
    res.writeHead(m ? 206 : 200, { 'content-length': body.length - from, ...(m ? { 'content-range': `bytes ${from}-${body.length - 1}/${body.length}` } : {}) });
    if (dropOnce.delete(name)) {
      // Send a third of the body, give the client time to take it, then drop the connection.
      res.write(body.subarray(from, from + Math.floor((body.length - from) / 3)), () => setTimeout(() => res.socket?.destroy(), 150));
      return;
    }
    res.end(body.subarray(from));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/models`;
  const src = sub('served');
  vgg19Pair(src);
  for (const f of readdirSync(src)) served.set(f, readFileSync(path.join(src, f)));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('named models resolve', () => {
  it('search order: --model-dir, $ARTIFACT_SCAN_MODELS, $XDG_CACHE_HOME/artifact-scan/models, ./models', () => {
    const env = { ARTIFACT_SCAN_MODELS: '/m/env', XDG_CACHE_HOME: '/m/cache', HOME: '/home/u' };
    expect(searchDirs({ modelDir: '/m/flag', env, cwd: '/w' }).map((d) => d.dir)).toEqual(['/m/flag', '/m/env', '/m/cache/artifact-scan/models', '/w/models']);
    expect(searchDirs({ env: { HOME: '/home/u' }, cwd: '/w' }).map((d) => d.dir)).toEqual(['/home/u/.cache/artifact-scan/models', '/w/models']);
  });

  it('--model vgg19 finds the first folder that holds a file of it; nothing found is one line saying how to get it', async () => {
    const cwd = sub('cwd');
    const env = { ARTIFACT_SCAN_MODELS: sub('env-models'), XDG_CACHE_HOME: sub('xdg'), HOME: cwd };
    await expect(resolveModel('vgg19', undefined, { env, cwd })).rejects.toThrow(/^--model vgg19: no file of this network in .*; get it with 'artifact-scan models get vgg19', or put one of VGG_ILSVRC_19_layers\.caffemodel, vgg19-d01eb7cb\.pth, vgg19-dcbb9e9d\.pth, vgg19\.onnx in \.\/models$/);
    vgg19Pair(sub('cwd/models'));
    expect((await resolveModel('vgg19', undefined, { env, cwd })).source).toContain('found in ./models');
    vgg19Pair(sub('xdg/artifact-scan/models'));
    expect((await resolveModel('vgg19', undefined, { env, cwd })).source).toContain('found in $XDG_CACHE_HOME/artifact-scan/models');
    vgg19Pair(env.ARTIFACT_SCAN_MODELS);
    expect((await resolveModel('vgg19', undefined, { env, cwd })).source).toContain('found in $ARTIFACT_SCAN_MODELS');
    const flag = sub('flag');
    vgg19Pair(flag);
    const net = await resolveModel('vgg19', undefined, { modelDir: flag, env, cwd });
    expect(net.source).toContain(`found in --model-dir: ${path.join(flag, 'VGG_ILSVRC_19_layers.caffemodel')}`);
    expect(net.name).toBe('vgg19');
  });

  it('a .caffemodel without a prototxt is named in the error', async () => {
    const cwd = sub('noproto');
    writeCaffePair(path.join(sub('noproto/models'), 'nin_imagenet_conv.caffemodel'), null, 'nin', ninCaffeLayers({ widths: [3, 4, 5, 6, 7] }), { format: 'v1' });
    await expect(resolveModel('nin', undefined, { env: { HOME: cwd }, cwd })).rejects.toThrow(/nin_imagenet_conv\.caffemodel has no \.prototxt beside it/);
  });

  it('render --model nin --style-layers relu0,relu3,relu7,relu12 (neural-style\'s NIN recipe) renders', async () => {
    const d = sub('nin-render');
    writeCaffePair(path.join(d, 'nin_imagenet_conv.caffemodel'), path.join(d, 'train_val.prototxt'), 'nin', ninCaffeLayers({ widths: [3, 4, 5, 6, 7] }), { format: 'v1' });
    const inputs = await makeInputs();
    try {
      const r = await render({ content: inputs.content, style: [inputs.style], imageSize: 96, iterations: 2, optimizer: 'adam', model: 'nin', modelDir: d, styleLayers: ['relu0', 'relu3', 'relu7', 'relu12'], contentLayers: ['relu7'], out: path.join(inputs.dir, 'out') });
      expect(withoutProgress(r.stderr)).toBe('');
      expect(r.code).toBe(0);
      const manifest = JSON.parse(readFileSync(path.join(inputs.dir, 'out', 'manifest.json'), 'utf8')) as { model?: { source?: string } };
      expect(JSON.stringify(manifest)).toContain('nin_imagenet_conv.caffemodel');
    } finally {
      rmSync(inputs.dir, { recursive: true, force: true });
    }
  });
});

describe('the embedded default says what it is', () => {
  it('--model random-bank renders with its own default layers and weights, and says its weights are random', async () => {
    const inputs = await makeInputs();
    try {
      const r = await render({ content: inputs.content, style: [inputs.style], imageSize: 48, iterations: 2, optimizer: 'adam', model: 'random-bank', out: path.join(inputs.dir, 'bank') });
      expect(r.code).toBe(0);
      expect(withoutProgress(r.stderr)).toMatch(/^note: --model random-bank: this network has random weights/);
      const manifest = JSON.parse(readFileSync(path.join(inputs.dir, 'bank', 'manifest.json'), 'utf8')) as { model: { name: string; source: string; note?: string }; parameterSets: Record<string, { contentLayers: string[]; styleLayers: string[]; contentWeight: number; styleWeight: number }> };
      expect(manifest.model.name).toBe('random-bank');
      expect(manifest.model.source).toMatch(/multi-scale conv \(supports 3\/7\/11\/15 px, 64 filters each\)/);
      expect(manifest.model.note).toMatch(/random weights/);
      const params = Object.values(manifest.parameterSets)[0];
      expect(params).toMatchObject({ contentLayers: ['relu1'], styleLayers: ['relu1'], contentWeight: 200, styleWeight: 1e5 });
    } finally {
      rmSync(inputs.dir, { recursive: true, force: true });
    }
  });

  it('prints once that its weights are random, with the command that gets VGG-19, and records it in manifest.json', async () => {
    const inputs = await makeInputs();
    try {
      const small = { content: inputs.content, style: [inputs.style], imageSize: 48, iterations: 1, optimizer: 'adam' };
      const r = await render({ ...small, outputs: 2, out: path.join(inputs.dir, 'a') });
      expect(r.code).toBe(0);
      expect(r.stderr.match(/random weights/g)).toHaveLength(1);
      expect(withoutProgress(r.stderr)).toMatch(/^note: --model embedded: this network has random weights.*'artifact-scan models get vgg19' and render with --model vgg19\n$/);
      const manifest = JSON.parse(readFileSync(path.join(inputs.dir, 'a', 'manifest.json'), 'utf8')) as { model: { note?: string } };
      expect(manifest.model.note).toMatch(/random weights/);
      const quiet = await render({ ...small, quiet: true, out: path.join(inputs.dir, 'b') });
      expect(quiet.stderr).toBe('');
      // A trained network (here a generated file standing for one) carries no such note.
      const d = sub('trained');
      vgg19Pair(d);
      const trained = await render({ ...small, model: 'vgg19', modelDir: d, out: path.join(inputs.dir, 'c') });
      expect(trained.code).toBe(0);
      expect(withoutProgress(trained.stderr)).toBe('');
      const m2 = JSON.parse(readFileSync(path.join(inputs.dir, 'c', 'manifest.json'), 'utf8')) as { model: { name: string; note?: string } };
      expect(m2.model.name).toBe('vgg19');
      expect(m2.model.note).toBeUndefined();
    } finally {
      rmSync(inputs.dir, { recursive: true, force: true });
    }
  });
});

describe('models get: local server, resume, checks', () => {
  it('a dropped connection resumes with a Range request; the file is checked and renamed into place', async () => {
    const d = sub('get1');
    requests.length = 0;
    dropOnce.add('VGG_ILSVRC_19_layers.caffemodel');
    const r = await getNetwork(smallVgg19(), { dir: d, urlBase: base, attempts: 3 });
    expect(r.existed).toBe(false);
    expect(r.check).toMatch(/16 convs/);
    expect(readFileSync(r.file).equals(served.get('VGG_ILSVRC_19_layers.caffemodel')!)).toBe(true);
    expect(readdirSync(d).sort()).toEqual(['VGG_ILSVRC_19_layers.caffemodel', 'VGG_ILSVRC_19_layers_deploy.prototxt']);
    const model = requests.filter((q) => q.name === 'VGG_ILSVRC_19_layers.caffemodel');
    expect(model).toHaveLength(2);
    expect(model[0].range).toBeNull();
    expect(model[1].range).toMatch(/^bytes=[1-9]\d*-$/);
    // Run again: nothing is downloaded.
    requests.length = 0;
    expect((await getNetwork(smallVgg19(), { dir: d, urlBase: base })).existed).toBe(true);
    expect(requests).toHaveLength(0);
  });

  it('a .part left by a killed run is resumed from its length', async () => {
    const d = sub('get2');
    const body = served.get('VGG_ILSVRC_19_layers.caffemodel')!;
    writeFileSync(path.join(d, 'VGG_ILSVRC_19_layers.caffemodel.part'), body.subarray(0, 1000));
    requests.length = 0;
    const r = await getNetwork(smallVgg19(), { dir: d, urlBase: base });
    expect(readFileSync(r.file).equals(body)).toBe(true);
    expect(requests.find((q) => q.name === 'VGG_ILSVRC_19_layers.caffemodel')!.range).toBe('bytes=1000-');
  });

  it('a file that is not the network, or fails its SHA-256 prefix, is refused and removed', async () => {
    const d = sub('get3');
    const wrong = { ...smallVgg19(), convWidths: knownNetwork('vgg19')!.convWidths };
    const err = await getNetwork(wrong, { dir: d, urlBase: base }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/^VGG_ILSVRC_19_layers\.caffemodel: the downloaded file is not vgg19: conv widths 3,3,4,4/);
    expect(existsSync(path.join(d, 'VGG_ILSVRC_19_layers.caffemodel'))).toBe(false);
    expect(existsSync(path.join(d, 'VGG_ILSVRC_19_layers.caffemodel.part'))).toBe(false);

    const digest = createHash('sha256').update(served.get('VGG_ILSVRC_19_layers.caffemodel')!).digest('hex');
    const withHash = (prefix: string): KnownNetwork => {
      const n = smallVgg19();
      return { ...n, files: [{ ...n.files[0], sha256Prefix: prefix }] };
    };
    await expect(getNetwork(withHash('00000000'), { dir: sub('get4'), urlBase: base })).rejects.toThrow(/SHA-256 [0-9a-f]{16}\.\.\. does not start with 00000000/);
    const ok = await getNetwork(withHash(digest.slice(0, 8)), { dir: sub('get5'), urlBase: base });
    expect(ok.check).toContain(`SHA-256 starts with ${digest.slice(0, 8)}`);
  });

  it('nin is fetched as neural-style-pt\'s nin_imagenet.pth and checked by loading it', async () => {
    served.set('nin_imagenet.pth', readFileSync(path.join(REPO_ROOT, 'fixtures', 'models', 'pth', 'nin-tiny-legacy.pth')));
    const nin = { ...knownNetwork('nin')!, convWidths: [5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 9] };
    const r = await getNetwork(nin, { dir: sub('get-nin'), urlBase: base });
    expect(path.basename(r.file)).toBe('nin_imagenet.pth');
    expect(r.check).toBe("12 convs with nin's widths");
  });

  it('render --model vgg19 with nothing installed: exit 2, one line saying how to get it', async () => {
    const inputs = await makeInputs();
    try {
      const r = await render({ content: inputs.content, style: [inputs.style], imageSize: 48, iterations: 1, model: 'vgg19', modelDir: sub('empty'), out: path.join(inputs.dir, 'out') });
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^(artifact-scan: )?--model vgg19: no file of this network in .*get it with 'artifact-scan models get vgg19'/);
    } finally {
      rmSync(inputs.dir, { recursive: true, force: true });
    }
  });

  it('CLI: models lists what it found; models get refuses a wrong file in one line, exit 2', async () => {
    const d = sub('cli');
    vgg19Pair(sub('cli/have'));
    const list = await runCli(['models', '--model-dir', path.join(d, 'have')], { env: { HOME: d }, cwd: d });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/vgg19: .*\n {2}found: .*VGG_ILSVRC_19_layers\.caffemodel \(caffe, [\d.]+ MB, with VGG_ILSVRC_19_layers_deploy\.prototxt/);
    expect(list.stdout).toMatch(/nin: .*\n {2}not found/);
    const get = await runCli(['models', 'get', 'vgg19', '--model-dir', path.join(d, 'dl')], { env: { HOME: d, ARTIFACT_SCAN_MODELS_URL: base }, cwd: d });
    expect(get.code).toBe(2);
    expect(get.stderr.trim().split('\n')).toHaveLength(1);
    expect(get.stderr).toMatch(/the downloaded file is not vgg19/);
    expect(existsSync(path.join(d, 'dl', 'VGG_ILSVRC_19_layers.caffemodel'))).toBe(false);
    const bad = await runCli(['models', 'get', 'vgg99'], { env: { HOME: d }, cwd: d });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/name one network: vgg19, vgg16, vgg19-normalised, nin/);
  });
});
