import path from 'node:path';
import { averagingSet } from '../../fixtures/conv-squares.js';
import { injectBorderLines } from '../../fixtures/border-lines.js';
import { injectGrayHaze } from '../../fixtures/gray-haze.js';
import { injectGrayRectangles } from '../../fixtures/gray-rectangles.js';
import { injectGridPattern } from '../../fixtures/grid-pattern.js';
import { hardNegatives } from '../../fixtures/index.js';
import { painterly } from '../../fixtures/painterly.js';
import { writePng } from '../../fixtures/write.js';

/**
 * The golden scan set (seeded, so every run writes the same bytes): it exercises every path of
 * the pipeline that produces findings.
 * - renders/: 8 outputs of one content at 192x160 with a conv-squares tiling, one of them hazed
 *   (a group of 4+: the average and the sibling comparison both run);
 * - quad/: 4 clean outputs of another content at 176x144, one hazed (the smallest sibling group);
 * - pair/: 2 outputs of 160x160 (averaged, but too few for siblings);
 * - singles/: one image per artifact class and every hard negative, each a size of its own;
 * - refs/: a content and a style image for the --content/--style scan.
 */
export async function writeGoldenSet(dir: string): Promise<void> {
  const put = (name: string, frame: Parameters<typeof writePng>[0]) => writePng(frame, path.join(dir, name));
  const renders = averagingSet({ width: 192, height: 160, seed: 41, n: 8, amplitude: 3 }).frames;
  renders[5] = injectGrayHaze(renders[5], { strength: 0.7, seed: 42, variant: 'haze' }).frame;
  for (const [k, frame] of renders.entries()) await put(`renders/out_${k}.png`, frame);
  const quad = averagingSet({ width: 176, height: 144, seed: 43, n: 4, amplitude: 0 }).frames;
  quad[1] = injectGrayHaze(quad[1], { strength: 0.6, seed: 44, variant: 'spots' }).frame;
  for (const [k, frame] of quad.entries()) await put(`quad/out_${k}.png`, frame);
  const pair = averagingSet({ width: 160, height: 160, seed: 45, n: 2, amplitude: 2 }).frames;
  for (const [k, frame] of pair.entries()) await put(`pair/out_${k}.png`, frame);

  let w = 200;
  const size = () => ({ width: (w += 8), height: 168 });
  const base = (seed: number) => painterly({ ...size(), seed });
  await put('singles/haze.png', injectGrayHaze(base(51), { strength: 0.85, seed: 3 }).frame);
  await put('singles/border.png', injectBorderLines(base(52), { strength: 40, seed: 4, sides: ['left', 'bottom'], distance: 2, width: 1, coverage: 0.8 }).frame);
  await put('singles/grid.png', injectGridPattern(base(53), { strength: 12, seed: 5, period: 4, kind: 'lines' }).frame);
  await put('singles/rectangles.png', injectGrayRectangles(base(54), { strength: 0.9, seed: 6 }).frame);
  await put('singles/clean.png', base(55));
  for (const [name, make] of Object.entries(hardNegatives)) await put(`singles/${name}.png`, make({ ...size(), seed: 56 }));

  await put('refs/content.png', painterly({ width: 192, height: 160, seed: 41 }));
  await put('refs/style.png', painterly({ width: 256, height: 256, seed: 61 }));
}

/** The inputs of the two golden scans (relative to the set's folder). */
export const GOLDEN_SCANS: { name: string; args: string[] }[] = [
  { name: 'plain', args: ['renders', 'quad', 'pair', 'singles'] },
  { name: 'references', args: ['renders', 'singles/haze.png', 'singles/border.png', '--content', 'refs/content.png', '--style', 'refs/style.png'] },
];
