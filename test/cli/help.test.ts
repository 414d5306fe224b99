import { describe, expect, test } from 'vitest';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { formatOptionsMarkdown } from '../../src/cli/options-docs.js';
import { OPTIONS, optionsFor } from '../../src/cli/options.js';
import { REPO_ROOT, runCli } from '../helpers.js';

describe('one options table feeds --help and the README', () => {
  test('the README option reference is the generated one (run npm run docs:options after changing options)', async () => {
    const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf('<!-- options:start');
    const end = readme.indexOf('<!-- options:end -->');
    expect(start).toBeGreaterThan(0);
    const block = readme.slice(readme.indexOf('\n', start) + 1, end);
    expect(block).toBe(formatOptionsMarkdown());
  });

  test.each(['scan', 'render', 'report', 'demo', 'models'] as const)('%s --help lists every option of the table', async (command) => {
    const run = await runCli([command, '--help']);
    expect(run.code).toBe(0);
    for (const option of optionsFor(command)) {
      const long = option.flags.match(/--[a-z0-9-]+/)?.[0];
      expect(run.stdout, `${command} --help should show ${long}`).toContain(long);
    }
  });

  test('top-level --help names the commands and exit codes', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['scan', 'render', 'report', 'demo', 'models']) expect(run.stdout).toContain(command);
    expect(run.stdout).toContain('Exit codes');
  });

  test('every option has a description and a group, and flags are unique per command', () => {
    for (const option of OPTIONS) {
      expect(option.description.length).toBeGreaterThan(10);
      expect(option.group.length).toBeGreaterThan(0);
    }
    for (const command of ['scan', 'render', 'report', 'demo'] as const) {
      const longs = optionsFor(command).map((o) => o.flags.match(/--[a-z0-9-]+/)?.[0]);
      expect(new Set(longs).size).toBe(longs.length);
    }
  });
});
