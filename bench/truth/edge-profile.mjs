#!/usr/bin/env node
// bench/truth/edge-profile: for each corpus image and side, the strongest line parallel to that side
// in the outer 0..8 px: the mean luma contrast (levels of 255) of a row (column) against the rows 2 px
// either side, and the share of the side where that contrast exceeds 8 levels with the same sign.
// An aid for labelling border-lines in bench/truth/corpus-truth.tsv alongside the enlarged strips of
// montage.mjs; not a detector and not used by the bench.
// Usage: node bench/truth/edge-profile.mjs [--max-distance N]   (tab-separated to stdout)
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpus = path.join(here, '..', '..', '..', 'shared', 'corpus', 'dev');
const args = process.argv.slice(2);
const maxD = Number(args.includes('--max-distance') ? args[args.indexOf('--max-distance') + 1] : 8);
if (!existsSync(path.join(corpus, 'MANIFEST.tsv'))) {
  console.error(`${corpus}: no corpus here (expected ../shared/corpus/dev next to the checkout)`);
  process.exit(2);
}
const files = readFileSync(path.join(corpus, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[0]);
console.log(['path', 'side', 'distance', 'contrast', 'share'].join('\t'));
for (const file of files) {
  const { data, info } = await sharp(path.join(corpus, file)).flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const W = info.width;
  const H = info.height;
  const C = info.channels;
  const L = (x, y) => {
    const k = C * (y * W + x);
    return 0.2126 * data[k] + 0.7152 * data[k + 1] + 0.0722 * data[k + 2];
  };
  let best = { side: '-', d: -1, m: 0, share: 0 };
  for (const side of ['top', 'bottom', 'left', 'right']) {
    const len = side === 'top' || side === 'bottom' ? W : H;
    const at = (d, a) => (side === 'top' ? L(a, d) : side === 'bottom' ? L(a, H - 1 - d) : side === 'left' ? L(d, a) : L(W - 1 - d, a));
    for (let d = 0; d <= maxD; d++) {
      let sum = 0;
      let pos = 0;
      let neg = 0;
      for (let a = 0; a < len; a++) {
        const ref = d >= 2 ? (at(d - 2, a) + at(d + 2, a)) / 2 : (at(d + 2, a) + at(d + 3, a)) / 2;
        const c = at(d, a) - ref;
        sum += c;
        if (c > 8) pos++;
        if (c < -8) neg++;
      }
      const m = sum / len;
      const share = (m > 0 ? pos : neg) / len;
      if (Math.abs(m) * share > Math.abs(best.m) * best.share) best = { side, d, m, share };
    }
  }
  console.log([file, best.side, best.d, best.m.toFixed(1), best.share.toFixed(2)].join('\t'));
}
