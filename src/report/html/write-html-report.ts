import { readFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScanResult } from '../../scan/result.js';
import { detectors } from '../../detect/index.js';
import type { PixelSummaries } from '../../scan/pictures.js';
import { buildViewModel, DEFAULT_DETAILED_IMAGES, selectDetailedImages, type PageData } from './view-model.js';
import { jsonForScript, renderPage } from './template.js';

/**
 * The single-file HTML report: CSS, scripts (ours and Chart.js), pictures and the results JSON
 * inlined, no network request possible (CSP). A pure function of the results and the pictures
 * made at scan time (src/scan/pictures.ts): nothing is decoded or detected here. The CLI writes
 * the returned text to the file.
 */
export async function buildHtmlReport(result: ScanResult, pictures: PixelSummaries | undefined, options: { detailedImages?: number }): Promise<string> {
  const detailed = selectDetailedImages(result, options.detailedImages ?? DEFAULT_DETAILED_IMAGES);
  const data = buildViewModel(result, detectors.map((d) => d.meta), pictures, detailed, pictures?.renders);
  return renderReport(data);
}

/** The page from its data (no I/O besides reading the bundled assets). */
export async function renderReport(data: PageData): Promise<string> {
  const assets = await loadAssets();
  return renderPage({
    title: data.title,
    css: assets.css,
    scripts: [
      { name: 'chart.js', code: assets.chart },
      { name: 'report client', code: assets.app },
    ],
    dataJson: jsonForScript(data),
  });
}

interface Assets {
  css: string;
  app: string;
  chart: string;
}
let assetsPromise: Promise<Assets> | undefined;

function loadAssets(): Promise<Assets> {
  assetsPromise ??= (async () => {
    const clientDir = findClientDir();
    const [css, app, chart] = await Promise.all([
      readFile(path.join(clientDir, 'app.css'), 'utf8'),
      readFile(path.join(clientDir, 'app.js'), 'utf8'),
      readFile(chartJsFile(), 'utf8'),
    ]);
    // The source-map comment would make the browser look for a file next to the report.
    return { css, app, chart: chart.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n') };
  })();
  return assetsPromise;
}

/**
 * The client files are plain JS/CSS in src/report/html/client/ (tsc does not copy them), found from
 * this module whether it runs from src/ (tests) or dist/src/ (the CLI).
 */
function findClientDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'client')];
  let dir = here;
  for (let i = 0; i < 6; i++) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'artifact-scan') {
          candidates.push(path.join(dir, 'src', 'report', 'html', 'client'));
          break;
        }
      } catch {
        // not ours; keep climbing
      }
    }
    dir = path.dirname(dir);
  }
  const found = candidates.find((c) => existsSync(path.join(c, 'app.js')));
  if (!found) throw new Error(`report client files not found (looked in ${candidates.join(', ')})`);
  return found;
}

function chartJsFile(): string {
  const require = createRequire(import.meta.url);
  // The package's exports hide dist/; resolve its CommonJS entry and take the UMD build beside it.
  return path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');
}
