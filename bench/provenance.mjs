// The calibration scripts' one way to state what they measured: with --write, the figures go into
// src/detect/thresholds.json (the threshold's provenance, read by the detectors and quoted by
// docs/detectors; test/house checks the docs against it). Without --write they are only printed.
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'detect', 'thresholds.json');

/** Strictly greater: the comparison of src/detect/normalise.ts exceeds() and of the gate. */
export const exceeds = (severity, limit) => severity > limit;

/**
 * Record `measured` under thresholds.json[id][key] (key "calibration" by default), with the
 * script's name and the date; the threshold value and the method text stay as written.
 */
export async function recordCalibration(id, script, measured, key = 'calibration') {
  const entry = { script, date: new Date().toISOString().slice(0, 10), ...measured };
  if (!process.argv.includes('--write')) {
    console.log(`${id} ${key}: ${JSON.stringify(entry)}  (run with --write to record it in src/detect/thresholds.json)`);
    return;
  }
  const table = JSON.parse(await readFile(FILE, 'utf8'));
  if (!table[id]) throw new Error(`${FILE} has no entry for ${id}`);
  table[id][key] = entry;
  const tmp = `${FILE}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(table, null, 2)}\n`);
  await rename(tmp, FILE);
  console.log(`recorded ${id} ${key} in src/detect/thresholds.json`);
}

/** The corpus of real outputs: $ARTIFACT_SCAN_CORPUS, else ../shared/corpus/dev next to the checkout. */
export const corpusDir = () => process.env.ARTIFACT_SCAN_CORPUS ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'corpus', 'dev');
