import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, tempDir } from '../helpers.js';

const run = promisify(execFile);

/** `npm pack --json` reports, per tarball, its name and its file list. */
interface PackReport {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  peer?: boolean;
  link?: boolean;
  [key: string]: unknown;
}

export interface PackedInstall {
  /** The empty project the tarball was installed into. */
  project: string;
  /** The installed package: <project>/node_modules/artifact-scan. */
  installed: string;
  /** The launcher npm linked: <project>/node_modules/.bin/artifact-scan. */
  bin: string;
  tarball: string;
  report: PackReport;
  /** Bytes of the project's node_modules after the install. */
  installedBytes: number;
}

/** A child process environment that cannot reach any registry (a dead proxy and an unroutable registry). */
function offlineEnv(cache: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (/^npm_/i.test(key)) delete env[key];
  return {
    ...env,
    npm_config_cache: cache,
    npm_config_offline: 'true',
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_userconfig: path.join(cache, 'no-user-npmrc'),
    HTTP_PROXY: 'http://127.0.0.1:9',
    HTTPS_PROXY: 'http://127.0.0.1:9',
  };
}

/**
 * Pack this repository as `npm pack` publishes it, then install the tarball into an empty project
 * with npm and no network: the package's production dependencies are packed from the repository's
 * own node_modules into a folder, and a lockfile pointing at those tarballs (positions copied from
 * package-lock.json) lets `npm ci --offline` install without a registry or a warm npm cache, as on a
 * fresh CI machine right after `npm ci`. Uses the dist/ that `npm test` built (no build here, so
 * tests running beside this one keep their dist/).
 */
export async function packAndInstall(): Promise<PackedInstall> {
  if (!existsSync(path.join(REPO_ROOT, 'dist', 'src', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const work = await tempDir('artifact-scan-pack-');
  const cache = path.join(work, 'npm-cache');
  const env = offlineEnv(cache);
  const seed = path.join(work, 'seed');
  await mkdir(seed, { recursive: true });

  const packed = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: REPO_ROOT, env, maxBuffer: 64 << 20 });
  const report = (JSON.parse(packed.stdout) as PackReport[])[0];
  const tarball = path.join(work, report.filename);

  const lock = JSON.parse(await readFile(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const own = lock.packages[''] as LockEntry & { name: string; version: string; dependencies: Record<string, string> };
  const production = Object.entries(lock.packages).filter(
    ([location, entry]) => location.startsWith('node_modules/') && !entry.dev && !entry.devOptional && !entry.link,
  );
  const present = production.filter(([location]) => existsSync(path.join(REPO_ROOT, location, 'package.json')));
  const seeded = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', seed, ...present.map(([location]) => `./${location}`)], {
    cwd: REPO_ROOT,
    env,
    maxBuffer: 64 << 20,
  });
  const seedFiles = (JSON.parse(seeded.stdout) as PackReport[]).map((r) => r.filename);

  const packages: Record<string, LockEntry> = {
    '': { name: 'packed-install-check', version: '1.0.0', dependencies: { [own.name]: `file:${report.filename}` } },
    [`node_modules/${own.name}`]: {
      version: own.version,
      resolved: `file:${report.filename}`,
      dependencies: own.dependencies,
      peerDependencies: own.peerDependencies,
      peerDependenciesMeta: own.peerDependenciesMeta,
      bin: own.bin,
      engines: own.engines,
      license: own.license,
    },
  };
  present.forEach(([location, entry], i) => {
    const { integrity: _integrity, resolved: _resolved, ...rest } = entry;
    packages[location] = { ...rest, resolved: `file:seed/${seedFiles[i]}` };
  });
  // Optional packages for other platforms (sharp's prebuilt binaries) stay as locked; npm skips them.
  for (const [location, entry] of production) if (!(location in packages)) packages[location] = entry;

  await writeFile(path.join(work, 'package.json'), JSON.stringify(packages[''], null, 2));
  await writeFile(path.join(work, 'package-lock.json'), JSON.stringify({ name: 'packed-install-check', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2));
  await run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: work, env, maxBuffer: 64 << 20 });

  const du = await run('du', ['-sb', path.join(work, 'node_modules')]);
  return {
    project: work,
    installed: path.join(work, 'node_modules', own.name),
    bin: path.join(work, 'node_modules', '.bin', 'artifact-scan'),
    tarball,
    report: { ...report, size: (await stat(tarball)).size },
    installedBytes: Number(du.stdout.split('\t')[0]),
  };
}
