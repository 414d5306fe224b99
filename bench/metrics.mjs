// Figures the accuracy benches share (bench/accuracy.mjs, bench/truth.mjs, bench/detect-crosscheck.mjs).

/** Mann-Whitney AUC: P(a positive's severity > a negative's), ties count half; NaN severities are left out. */
export function auc(pos, neg) {
  const p = pos.filter(Number.isFinite);
  const n = neg.filter(Number.isFinite);
  if (!p.length || !n.length) return NaN;
  let s = 0;
  for (const a of p) for (const b of n) s += a > b ? 1 : a === b ? 0.5 : 0;
  return s / (p.length * n.length);
}
