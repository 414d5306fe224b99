import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ScanResult } from '../../src/scan/result.js';
import { DETECTOR_IDS } from '../../src/detect/detector.js';
import { HOSTILE_NAME, writeFixtureSet, type FixtureSet } from './fixture-set.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'bin/artifact-scan.js');
const CHROMIUM = '/usr/bin/chromium';
const OUT = path.join(ROOT, 'test-output');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[report browser test] skipped: ${CHROMIUM} is absent (CI installs it: apt-get install chromium)`);

interface Opened {
  page: Page;
  consoleErrors: string[];
  requests: string[];
  dialogs: string[];
}

describe.skipIf(!hasChromium)('HTML report in Chromium', () => {
  let dir: string;
  let set: FixtureSet;
  let result: ScanResult;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(path.join(ROOT, 'dist/src/cli/main.js'))) await run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
    dir = await mkdtemp(path.join(os.tmpdir(), 'artifact-scan-report-'));
    set = await writeFixtureSet(dir);
    // The gate fails on the injected artifacts, so exit code 1 is expected.
    const scan = await run('node', [CLI, 'renders', 'singles', '--html', 'report.html', '--json', 'results.json', '--pictures', '--quiet'], { cwd: dir }).catch((e: { code?: number; stderr?: string }) => e);
    expect([0, 1]).toContain((scan as { code?: number }).code ?? 0);
    result = JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as ScanResult;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    await mkdir(OUT, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function open(file: string, viewport = { width: 1280, height: 900 }): Promise<Opened> {
    const page = await browser.newPage({ viewport, colorScheme: 'light' });
    const opened: Opened = { page, consoleErrors: [], requests: [], dialogs: [] };
    page.on('console', (m) => {
      if (m.type() === 'error') opened.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => opened.consoleErrors.push(String(e)));
    page.on('request', (r) => {
      if (!/^(file|data):/.test(r.url())) opened.requests.push(r.url());
    });
    page.on('dialog', async (d) => {
      opened.dialogs.push(d.message());
      await d.dismiss();
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
    return opened;
  }

  it('shows the classes with known artifacts as failing, with no console errors and no network requests', async () => {
    const { page, consoleErrors, requests } = await open(path.join(dir, 'report.html'));
    const states = Object.fromEntries(
      await page.$$eval('.tile', (tiles) => tiles.map((t) => [t.getAttribute('data-class'), t.getAttribute('data-state')])),
    ) as Record<string, string>;
    expect(Object.keys(states).sort()).toEqual([...DETECTOR_IDS].sort());
    // Ground truth, independent of the page: the gate's verdict per class in the JSON.
    const failingInJson = new Set(result.gate.failures.map((f) => f.id));
    // Under a gate, a detection the gate does not assert on (e.g. a grid on an image, asserted on averages only) shows as a warning.
    for (const id of DETECTOR_IDS) {
      const gated = result.gate.thresholds.some((t) => t.id === id && t.level !== 'off');
      const expected = failingInJson.has(id) ? 'fail' : result.gate.warnings.some((w) => w.id === id) ? 'warn' : gated ? 'pass' : 'off';
      expect(states[id], id).toBe(expected);
    }
    // Known artifacts: an injected file its detector flags fails its class wherever an error-level
    // image threshold is in force for it.
    for (const [file, id] of Object.entries(set.injected)) {
      const image = result.images.find((i) => i.path === file);
      if (!image?.findings.find((f) => f.id === id)?.detected) continue;
      const active = result.gate.thresholds.filter((t) => t.id === id && t.level !== 'off');
      if (active.some((t) => t.level === 'error' && t.scope !== 'averages')) expect(states[id], `${id} (${file})`).toBe('fail');
    }
    // A class found where the gate neither failed nor warned says so.
    for (const id of DETECTOR_IDS) {
      const found = [...result.images, ...result.averages].some((i) => i.findings.some((f) => f.id === id && f.detected));
      const ungated = found && states[id] !== 'fail' && states[id] !== 'warn';
      expect(await page.locator(`.tile[data-class="${id}"] .badge.found`).count(), id).toBe(ungated ? 1 : 0);
    }
    expect(states['gray-haze']).toBe('fail');
    expect(Object.values(states).filter((s) => s === 'fail').length).toBeGreaterThanOrEqual(2);
    // Failing classes come first in the summary; classes with nothing found are collapsed.
    const order = await page.$$eval('#tiles .tile', (tiles) => tiles.map((t) => t.getAttribute('data-state')));
    expect(order.indexOf('fail')).toBe(0);
    const cleanOpen = await page.$eval('#clean-classes', (d) => (d as unknown as { open: boolean }).open).catch(() => false);
    expect(cleanOpen).toBe(false);
    // Every image is in the table; the viewer opens with the worst one.
    expect(await page.locator('#image-table tbody tr').count()).toBe(result.images.length);
    await page.screenshot({ path: path.join(OUT, 'report-summary.png') });
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('switches the viewer tabs, sorts and filters the table, draws the charts', async () => {
    const { page, consoleErrors, requests } = await open(path.join(dir, 'report.html'));
    // The image with the most detected regions (the injected gray rectangles or haze, normally).
    const regionCount = (i: ScanResult['images'][number]) => i.findings.filter((f) => f.detected).reduce((n, f) => n + f.regions.length, 0);
    const target = [...result.images].sort((a, b) => regionCount(b) - regionCount(a))[0];
    expect(regionCount(target)).toBeGreaterThan(0);
    await page.locator(`.thumb[data-path="${target.path}"]`).click();
    expect(await page.locator('#viewer h3').textContent()).toBe(target.path);
    for (const tab of ['spectrum', 'pixels']) {
      await page.locator(`#viewer [role=tab][data-tab="${tab}"]`).click();
      await expect.poll(() => page.getAttribute('#viewer [role=tabpanel]', 'data-panel')).toBe(tab);
      expect(await page.getAttribute(`#viewer [role=tab][data-tab="${tab}"]`, 'aria-selected')).toBe('true');
      const images = await page.locator('#viewer [role=tabpanel] img').count();
      // Pixels: the image, its group average and the average's residual side by side.
      // Only an image that belongs to a group has a group average (the singles are unrelated paintings: none).
      const grouped = result.averages.some((a) => a.paths.includes(target.path));
      expect(images, tab).toBe(tab === 'pixels' ? (grouped ? 3 : 1) : 1);
    }
    expect(await page.locator('#viewer .pane').first().locator('svg rect').count()).toBe(regionCount(target));
    // Evidence is in words and tables, with the JSON behind a "raw" toggle.
    const evidence = page.locator('.evidence-card').first();
    expect(await evidence.locator('ul.sentences li').count()).toBeGreaterThan(0);
    expect(await evidence.locator('table.measures tbody tr').count()).toBeGreaterThan(0);
    expect(await evidence.locator('details.raw pre').isVisible()).toBe(false);
    await evidence.locator('details.raw summary').click();
    expect(JSON.parse((await evidence.locator('details.raw pre').textContent()) ?? '')).toBeTypeOf('object');
    // Every embedded picture decodes.
    const broken = await page.$$eval('img', (imgs) => (imgs as unknown as { complete: boolean; naturalWidth: number }[]).filter((i) => !i.complete || i.naturalWidth === 0).length);
    expect(broken).toBe(0);
    // Table: filter by path, then by class.
    await page.fill('#image-filter', 'seed-0');
    expect(await page.locator('#image-table tbody tr').count()).toBe(8);
    await page.fill('#image-filter', '');
    await page.selectOption('#class-filter', 'gray-haze');
    const flagged = result.images.filter((i) => i.findings.some((f) => f.id === 'gray-haze' && f.detected)).length;
    expect(await page.locator('#image-table tbody tr').count()).toBe(flagged);
    await page.selectOption('#class-filter', '');
    await page.locator('#image-table th button[data-sort="path"]').click();
    const paths = await page.$$eval('#image-table tbody tr', (rows) => rows.map((r) => r.getAttribute('data-path') ?? ''));
    expect(paths).toEqual([...paths].sort());
    // Size sorts by number of pixels, not as text.
    await page.locator('#image-table th button[data-sort="group"]').click();
    const sizes = await page.$$eval('#image-table tbody tr td:nth-child(2)', (cells) => cells.map((c) => c.textContent ?? ''));
    const area = (t: string) => t.split('x').map(Number).reduce((a, b) => a * b, 1);
    expect(sizes.map(area)).toEqual([...sizes.map(area)].sort((a, b) => a - b));
    // Charts: Chart.js drew on every canvas (growth curve per average, histogram, bars).
    const canvases = await page.$$eval('canvas', (cs) => (cs as unknown as { width: number }[]).map((c) => c.width > 0));
    expect(canvases.length).toBe(2 + result.averages.length);
    expect(canvases.every(Boolean)).toBe(true);
    await page.locator('#viewer').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(OUT, 'report-viewer.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('runs no script from a hostile file name', async () => {
    const { page, consoleErrors, dialogs } = await open(path.join(dir, 'report.html'));
    const hostile = `singles/${HOSTILE_NAME}`;
    expect(await page.locator('#image-table tbody tr').filter({ hasText: HOSTILE_NAME }).count()).toBe(1);
    expect(await page.locator(`#image-table tbody tr[data-path="${hostile.replace(/"/g, '\\"')}"] td .cell-path`).first().textContent()).toBe(hostile);
    await page.locator(`#image-table tbody tr[data-path="${hostile.replace(/"/g, '\\"')}"]`).click();
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('re-renders from the JSON and the pictures saved at scan time with `report --from`, after an image is gone', async () => {
    await unlink(path.join(dir, 'singles/border.png'));
    await unlink(path.join(dir, 'renders/seed-00.png'));
    const { stderr } = await run('node', [CLI, 'report', '--from', 'results.json', '--html', 'again.html', '--quiet'], { cwd: dir });
    expect(stderr).toBe('');
    const { page, consoleErrors, requests } = await open(path.join(dir, 'again.html'), { width: 390, height: 844 });
    await page.locator('.thumb[data-path="singles/border.png"]').click();
    // Nothing is read again: the pictures made while the images were there still show.
    expect(await page.locator('#viewer img').count()).toBeGreaterThan(0);
    expect(await page.locator('.average[data-group="192x192 content renders/seed-00.png"]').textContent()).not.toContain('could not be read again');
    // Phone width: nothing wider than the screen except inside scroll boxes.
    const overflow = await page.evaluate(() => {
      const g = globalThis as unknown as { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
      return g.document.documentElement.scrollWidth - g.innerWidth;
    });
    expect(overflow).toBeLessThanOrEqual(1);
    await page.screenshot({ path: path.join(OUT, 'report-phone.png') });
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('has no horizontal page scroll at 390, 768 and 1280 px, with the viewer zoomed in', async () => {
    for (const width of [390, 768, 1280]) {
      const { page, consoleErrors, requests } = await open(path.join(dir, 'report.html'), { width, height: 900 });
      // Open every closed section so everything is laid out, and zoom the viewer to 8x.
      await page.$$eval('details', (ds) => ds.forEach((d) => ((d as unknown as { open: boolean }).open = true)));
      await page.locator('#viewer [data-zoom="8"]').click();
      const overflow = await page.evaluate(() => {
        const g = globalThis as unknown as { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
        return g.document.documentElement.scrollWidth - g.innerWidth;
      });
      expect(overflow, `${width} px`).toBeLessThanOrEqual(0);
      if (width === 390) await page.screenshot({ path: path.join(OUT, 'report-390.png') });
      expect(consoleErrors).toEqual([]);
      expect(requests).toEqual([]);
      await page.close();
    }
  });

  it('zooms without smoothing: a 1-px line is 4 screen px wide at 4x', async () => {
    const lineDir = await mkdtemp(path.join(os.tmpdir(), 'artifact-scan-line-'));
    try {
      // A flat dark image with one bright column at x = 20.
      const width = 64;
      const height = 48;
      const rgb = Buffer.alloc(width * height * 3, 40);
      for (let y = 0; y < height; y++) rgb.fill(230, (y * width + 20) * 3, (y * width + 21) * 3);
      const sharp = (await import('sharp')).default;
      await sharp(rgb, { raw: { width, height, channels: 3 } }).png().toFile(path.join(lineDir, 'line.png'));
      await run('node', [CLI, 'line.png', '--html', 'line.html', '--quiet'], { cwd: lineDir }).catch((e: { code?: number }) => e);
      const { page, consoleErrors, requests } = await open(path.join(lineDir, 'line.html'), { width: 800, height: 900 });
      await page.locator('#viewer-boxes').uncheck();
      await page.locator('#viewer [data-zoom="4"]').click();
      const img = page.locator('#viewer .pane img').first();
      const box = await img.boundingBox();
      expect(box?.width).toBe(width * 4);
      const shot = await page.screenshot({ clip: { x: Math.round(box?.x ?? 0), y: Math.round((box?.y ?? 0) + 40), width: 160, height: 1 } });
      const { data, info } = await sharp(shot).raw().toBuffer({ resolveWithObject: true });
      // Nearest neighbour: four columns at the line's level and its neighbours at the background's,
      // with no ramp between them (smooth scaling would put in-between levels at 79..80 and 83..84).
      const level = Array.from({ length: info.width }, (_, x) => data[x * info.channels]);
      const bright = level.flatMap((v, x) => (v >= 205 ? [x] : []));
      expect(bright).toEqual([80, 81, 82, 83]);
      for (const x of [76, 77, 78, 79, 84, 85, 86, 87]) expect(level[x], `column ${x}`).toBeLessThanOrEqual(65);
      expect(consoleErrors).toEqual([]);
      expect(requests).toEqual([]);
      await page.close();
    } finally {
      await rm(lineDir, { recursive: true, force: true });
    }
  });

  it('can be used with the keyboard alone: Tab reaches a thumbnail, Space opens it, focus lands in the viewer with a visible ring', async () => {
    const { page, consoleErrors } = await open(path.join(dir, 'report.html'), { width: 1280, height: 900 });
    let onThumb: string | null = null;
    for (let i = 0; i < 200 && !onThumb; i++) {
      await page.keyboard.press('Tab');
      onThumb = await page.evaluate(() => {
        const el = (globalThis as unknown as { document: { activeElement: { closest(s: string): { getAttribute(n: string): string | null } | null } | null } }).document.activeElement;
        return el?.closest('.thumb')?.getAttribute('data-path') ?? null;
      });
    }
    expect(onThumb).not.toBeNull();
    const ring = await page.evaluate(() => {
      const g = globalThis as unknown as { document: { activeElement: object }; getComputedStyle(e: object): { outlineStyle: string; outlineWidth: string } };
      const st = g.getComputedStyle(g.document.activeElement);
      return `${st.outlineStyle} ${st.outlineWidth}`;
    });
    expect(ring).not.toMatch(/^none/);
    // Move to another thumbnail, then open it with Space.
    await page.keyboard.press('Tab');
    const next = await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } } }).document.activeElement.getAttribute('data-path'));
    await page.keyboard.press(' ');
    expect(await page.locator('#viewer h3').textContent()).toBe(next);
    const inViewer = await page.evaluate(() => Boolean((globalThis as unknown as { document: { activeElement: { closest(s: string): unknown } } }).document.activeElement.closest('#viewer')));
    expect(inViewer).toBe(true);
    // Enter on a zoom button works too, and Enter on a thumbnail opens it.
    await page.locator('#viewer [data-zoom="2"]').focus();
    await page.keyboard.press('Enter');
    expect(await page.getAttribute('#viewer [data-zoom="2"]', 'aria-pressed')).toBe('true');
    await page.locator(`.thumb[data-path="${onThumb}"]`).focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#viewer h3').textContent()).toBe(onThumb);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});
