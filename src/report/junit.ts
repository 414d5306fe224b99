import type { ScanResult } from '../scan/result.js';
import { gateCases, describeLimit } from '../gate/cases.js';
import { round3 } from '../analysis/stats.js';

/**
 * JUnit XML, the subset CI systems read (Jenkins, GitLab, GitHub test reporters, Azure):
 * testsuites > testsuite > testcase > failure | error | skipped, with name, classname, tests,
 * failures, errors, skipped and time. One test case per artifact class and scope; error-level
 * failures are <failure>, warnings go to <system-out>, unreadable inputs are one <error> case,
 * and run-level failures (--max-warnings, baseline paths) get a case each.
 */
export function formatJunit(result: ScanResult): string {
  const cases: string[] = [];
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  const add = (name: string, classname: string, body: string) => cases.push(`    <testcase name="${xmlAttr(name)}" classname="${xmlAttr(classname)}" time="0">${body ? `\n${body}\n    ` : ''}</testcase>`);

  for (const c of gateCases(result)) {
    const name = `${c.id} (${c.scope})`;
    const classname = `artifact-scan.${c.id}`;
    const parts: string[] = [];
    if (c.status === 'skipped') {
      skipped++;
      parts.push(`      <skipped message="${xmlAttr(c.skipReason ?? 'skipped')}"/>`);
    }
    if (c.failures.length) {
      failures++;
      const first = c.failures[0];
      const summary = c.failures.length === 1 ? first.message : `${c.failures.length} assertions failed; ${first.message}`;
      parts.push(`      <failure message="${xmlAttr(summary)}" type="${first.kind ?? 'threshold'}">${xmlText(c.failures.map((f) => describeFailure(f)).join('\n\n'))}</failure>`);
    }
    const out: string[] = [];
    if (c.status !== 'skipped') {
      out.push(`${c.id} on ${c.scope}: found ${c.found !== undefined ? round3(c.found) : 'n/a'} over ${c.count} ${c.scope === 'images' ? 'image' : 'group average'}${c.count === 1 ? '' : 's'}, expected ${describeLimit(c)}`);
      for (const t of c.thresholds) out.push(`threshold ${t.level} maxSeverity ${t.maxSeverity} ${t.scope} ${t.aggregate}${t.files ? ` for ${t.files.join(', ')}` : ''} from ${t.source}`);
    }
    for (const w of c.warnings) out.push(`warning: ${w.message}`);
    if (out.length) parts.push(`      <system-out>${xmlText(out.join('\n'))}</system-out>`);
    add(name, classname, parts.join('\n'));
  }
  for (const rf of result.gate.runFailures ?? []) {
    failures++;
    add(rf.kind === 'max-warnings' ? 'max-warnings' : 'baseline (image set)', `artifact-scan.${rf.kind}`, `      <failure message="${xmlAttr(rf.message)}" type="${rf.kind}">${xmlText(`${rf.message}\n${rf.paths.join('\n')}`)}</failure>`);
  }
  if (result.gate.baseline && !(result.gate.runFailures ?? []).some((r) => r.kind === 'baseline-paths')) {
    const b = result.gate.baseline;
    add('baseline (image set)', 'artifact-scan.baseline-paths', `      <system-out>${xmlText(`${b.updated ? 'updated' : 'compared with'} ${b.path}`)}</system-out>`);
  }
  if (result.errors.length) {
    errors++;
    const message = `${result.errors.length} input${result.errors.length === 1 ? '' : 's'} could not be read`;
    add('inputs', 'artifact-scan.inputs', `      <error message="${xmlAttr(message)}" type="input">${xmlText(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'))}</error>`);
  }

  const tests = cases.length;
  const time = (result.run.durationMs / 1000).toFixed(3);
  const counts = `tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="artifact-scan" ${counts}>`,
    `  <testsuite name="artifact-scan gate" ${counts} timestamp="${xmlAttr(result.run.startedAt.replace(/(\.\d+)?Z$/, ''))}">`,
    '    <properties>',
    `      <property name="artifact-scan.version" value="${xmlAttr(result.tool.version)}"/>`,
    `      <property name="images" value="${result.images.length}"/>`,
    `      <property name="averages" value="${result.averages.length}"/>`,
    `      <property name="passed" value="${result.gate.passed}"/>`,
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function describeFailure(f: { message: string; expected: string; found: number; paths: string[]; source: string }): string {
  return [f.message, `expected: ${f.expected}`, `found: ${round3(f.found)}`, `source: ${f.source}`, ...(f.paths.length ? ['over the limit:', ...f.paths.map((p) => `  ${p}`)] : [])].join('\n');
}

/**
 * Characters XML 1.0 cannot carry at all (C0 controls except tab/LF/CR, U+FFFE/U+FFFF, lone
 * surrogates) are written as visible \uXXXX text; markup characters become entities.
 */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function visible(s: string): string {
  return s.replace(INVALID_XML, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function xmlText(s: string): string {
  return visible(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}
