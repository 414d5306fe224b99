import { readFileSync } from 'node:fs';

interface PackageFacts {
  version: string;
  /** Where bugs are reported: package.json `bugs` (url, else email), else `repository`; undefined when it has neither. */
  bugReports?: string;
}

/** The facts the tool states about itself, read once from package.json (two levels up from src/ and from dist/src/). */
function readPackage(): PackageFacts {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
        bugs?: string | { url?: string; email?: string };
        repository?: string | { url?: string };
      };
      if (pkg.name === 'artifact-scan' && pkg.version) return { version: pkg.version, bugReports: bugAddress(pkg.bugs, pkg.repository) };
    } catch {
      // try the next location
    }
  }
  return { version: '0.0.0' };
}

/** package.json's `bugs` field, in either of the forms npm documents, else its `repository` url. */
function bugAddress(bugs: string | { url?: string; email?: string } | undefined, repository: string | { url?: string } | undefined): string | undefined {
  if (typeof bugs === 'string' && bugs) return bugs;
  if (typeof bugs === 'object' && bugs) return bugs.url || bugs.email || undefined;
  if (typeof repository === 'string' && repository) return repository;
  if (typeof repository === 'object' && repository?.url) return repository.url;
  return undefined;
}

const PACKAGE = readPackage();
export const TOOL_VERSION = PACKAGE.version;
/** Where to report a bug (single-sourced from package.json `bugs`), or undefined. */
export const BUG_REPORTS = PACKAGE.bugReports;
