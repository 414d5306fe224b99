#!/usr/bin/env node
// Screenshot of an HTML report for the README, taken with Debian's Chromium via playwright-core.
// Usage: node bench/screenshot-report.mjs <report.html> [out.png=docs/report-screenshot.png] [width=1000] [height=760] [anchor] [zoom]
//   anchor: a CSS selector scrolled to the top before the shot (e.g. '#images' or '.evidence-card');
//   zoom: a viewer zoom (1, 2, 4 or 8) set first. The README shot:
//   node bench/screenshot-report.mjs demo/report.html docs/report-screenshot.png 1000 760 '#images' 2
import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import sharp from 'sharp';

const [report, out = 'docs/report-screenshot.png', width = '1000', height = '760', anchor, zoom] = process.argv.slice(2);
if (!report) {
  console.error('usage: node bench/screenshot-report.mjs <report.html> [out.png] [width] [height]');
  process.exit(2);
}
const executablePath = '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`${executablePath} not found: apt-get install chromium`);
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: Number(width), height: Number(height) }, colorScheme: 'light', deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(path.resolve(report)).href);
  await page.waitForSelector('html[data-ready="true"]');
  if (zoom) await page.locator(`#viewer [data-zoom="${zoom}"]`).click();
  if (anchor) {
    await page.locator(anchor).first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.evaluate(() => globalThis.scrollBy(0, -8));
  }
  await mkdir(path.dirname(path.resolve(out)), { recursive: true });
  // A 256-colour palette keeps the committed PNG small; the report's pictures survive it well.
  await sharp(await page.screenshot()).png({ palette: true, colours: 256, effort: 10 }).toFile(out);
  console.log(`${out}: ${((await stat(out)).size / 1024).toFixed(0)} KB`);
} finally {
  await browser.close();
}
