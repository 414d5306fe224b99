import path from 'node:path';
import { painterly } from '../../fixtures/painterly.js';
import { writePng } from '../../fixtures/write.js';
import { injectGrayHaze } from '../../fixtures/gray-haze.js';
import { injectBorderLines } from '../../fixtures/border-lines.js';
import { injectGridPattern } from '../../fixtures/grid-pattern.js';
import { injectGrayRectangles } from '../../fixtures/gray-rectangles.js';
import { averagingSet } from '../../fixtures/conv-squares.js';
import type { DetectorId } from '../../src/detect/detector.js';

/** A file name that would run script if any part of the report put it into HTML unescaped. */
export const HOSTILE_NAME = `<img src=x onerror="window.__pwned=1;alert(1)">.png`;

export interface FixtureSet {
  dir: string;
  /** The artifact class each injected file carries (file name relative to dir). */
  injected: Record<string, DetectorId>;
  clean: string[];
}

/**
 * A small set with known artifacts, written as PNGs: a conv-squares averaging set (one size
 * group), one image each with gray haze, border lines, a grid pattern and gray rectangles
 * (another size), and a clean painterly image with a hostile file name.
 */
export async function writeFixtureSet(dir: string, options: { size?: number; renders?: number } = {}): Promise<FixtureSet> {
  const size = options.size ?? 192;
  const renders = options.renders ?? 8;
  const injected: Record<string, DetectorId> = {};
  const clean: string[] = [];
  const { frames } = averagingSet({ width: size, height: size, seed: 5, n: renders, amplitude: 8 });
  for (let k = 0; k < frames.length; k++) {
    const name = `renders/seed-${String(k).padStart(2, '0')}.png`;
    await writePng(frames[k], path.join(dir, name));
    injected[name] = 'conv-squares';
  }
  const other = { width: size + 64, height: size };
  const base = (seed: number) => painterly({ ...other, seed });
  const singles: [string, DetectorId, ReturnType<typeof base>][] = [
    ['singles/haze.png', 'gray-haze', injectGrayHaze(base(11), { strength: 0.85, seed: 3 }).frame],
    ['singles/border.png', 'border-lines', injectBorderLines(base(12), { strength: 70, seed: 4, sides: ['left', 'top'], distance: 3, width: 2, coverage: 0.9 }).frame],
    ['singles/grid.png', 'grid-pattern', injectGridPattern(base(13), { strength: 20, seed: 5, period: 6, kind: 'dots' }).frame],
    ['singles/rectangles.png', 'gray-rectangles', injectGrayRectangles(base(14), { strength: 0.95, seed: 6 }).frame],
  ];
  for (const [name, id, frame] of singles) {
    await writePng(frame, path.join(dir, name));
    injected[name] = id;
  }
  const hostile = `singles/${HOSTILE_NAME}`;
  await writePng(base(15), path.join(dir, hostile));
  clean.push(hostile);
  return { dir, injected, clean };
}
