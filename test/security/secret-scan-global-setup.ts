/**
 * vitest globalSetup for the secret scan: gives the run a fresh summary file (which every test file's
 * `test/helpers/secret-scan-setup.ts` appends its counts to) and prints the run's total at the end:
 *
 *     secret scan: 1234 AWS4AuthErrors, 567 diagnostics events and 56.7 KiB of output scanned in 45 test files, no secret found
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

interface FileLine {
  readonly file: string;
  readonly errors: number;
  /** Diagnostics events published (their renderings are part of `outputChars`); absent in older lines. */
  readonly events?: number;
  readonly outputChars: number;
  readonly droppedChars: number;
  readonly findings: readonly unknown[];
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** One line for the end of the run, from the summary file's lines. */
export function scanTotal(lines: readonly FileLine[]): string {
  const errors = lines.reduce((sum, line) => sum + line.errors, 0);
  const events = lines.reduce((sum, line) => sum + (line.events ?? 0), 0);
  const chars = lines.reduce((sum, line) => sum + line.outputChars, 0);
  const dropped = lines.reduce((sum, line) => sum + line.droppedChars, 0);
  const leaking = lines.filter((line) => line.findings.length > 0);
  const findings = leaking.reduce((sum, line) => sum + line.findings.length, 0);
  const verdict = leaking.length === 0 ? 'no secret found' : `${findings} SECRET${findings === 1 ? '' : 'S'} FOUND in ${leaking.map((l) => l.file).join(', ')}`;
  return (
    `secret scan: ${errors} AWS4AuthErrors, ${events} diagnostics events and ${(chars / 1024).toFixed(1)} KiB of output scanned in ${lines.length} test files` +
    `${dropped > 0 ? ` (${dropped} characters over the capture limit not scanned)` : ''}, ${verdict}`
  );
}

export default function setup(project: TestProject): () => void {
  const dir = join(ROOT, '.tmp', 'secret-scan');
  mkdirSync(dir, { recursive: true });
  const summary = join(dir, `run-${process.pid}-${Date.now()}.jsonl`);
  project.provide('secretScanSummary', summary);
  return () => {
    let text = '';
    try {
      text = readFileSync(summary, 'utf8');
    } catch {
      // No test file ran with the setup file.
    }
    const lines = text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as FileLine);
    process.stdout.write(`${scanTotal(lines)}\n`);
    rmSync(summary, { force: true });
  };
}
