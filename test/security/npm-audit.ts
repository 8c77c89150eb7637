/**
 * `npm audit` of the production dependencies, as a release gate: `npm run audit` exits 0 only when the
 * advisory database answered and reported no vulnerability. Where the registry's advisory endpoint cannot be
 * reached (some mirrors and sandboxes answer 405), it exits 3 saying so, because "not checked" is not
 * "clean"; `AUDIT_ALLOW_UNREACHABLE=1` (set by CI, whose network is only a registry mirror) turns that case
 * into a warning. `prepublishOnly` runs it strictly, so nothing is published unaudited.
 *
 *   npm run audit
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/** What one `npm audit --json` run means for a release. */
export type AuditVerdict =
  | { readonly kind: 'clean'; readonly dependencies: number | undefined }
  | { readonly kind: 'vulnerable'; readonly findings: readonly string[] }
  | { readonly kind: 'unreachable'; readonly reason: string };

interface AuditJson {
  readonly message?: string;
  readonly statusCode?: number;
  readonly error?: { readonly code?: string; readonly summary?: string };
  readonly vulnerabilities?: Record<string, { readonly name?: string; readonly severity?: string; readonly range?: string; readonly via?: ReadonlyArray<unknown> }>;
  readonly metadata?: { readonly vulnerabilities?: Record<string, number>; readonly dependencies?: { readonly prod?: number } };
}

/** Reads the JSON `npm audit --json` printed. Anything without a report is "unreachable", never "clean". */
export function auditVerdict(output: string): AuditVerdict {
  let json: AuditJson;
  try {
    json = JSON.parse(output) as AuditJson;
  } catch {
    return { kind: 'unreachable', reason: `npm audit printed no JSON report: ${JSON.stringify(output.slice(0, 200))}` };
  }
  const vulnerabilities = json.vulnerabilities;
  const counts = json.metadata?.vulnerabilities;
  if (vulnerabilities === undefined || counts === undefined) {
    const reason = json.message ?? json.error?.summary ?? json.error?.code ?? 'no report in the answer';
    return { kind: 'unreachable', reason: json.statusCode === undefined ? reason : `HTTP ${json.statusCode}: ${reason}` };
  }
  const findings = Object.entries(vulnerabilities).map(([name, v]) => {
    const via = (v.via ?? []).map((item) => (typeof item === 'string' ? item : (item as { title?: string }).title ?? '')).filter((t) => t !== '');
    return `${v.name ?? name} ${v.range ?? ''} (${v.severity ?? 'unknown severity'})${via.length > 0 ? `: ${via.join('; ')}` : ''}`;
  });
  const total = counts.total ?? Object.values(counts).reduce((sum, n) => sum + n, 0);
  if (total > 0 || findings.length > 0) return { kind: 'vulnerable', findings };
  return { kind: 'clean', dependencies: json.metadata?.dependencies?.prod };
}

function main(): number {
  const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', shell: process.platform === 'win32' });
  const verdict = auditVerdict(run.stdout ?? '');
  if (verdict.kind === 'clean') {
    console.log(`npm audit: 0 vulnerabilities${verdict.dependencies === undefined ? '' : ` in ${verdict.dependencies} production dependencies`}`);
    return 0;
  }
  if (verdict.kind === 'vulnerable') {
    console.error(`npm audit: ${verdict.findings.length} vulnerable production dependencies:\n${verdict.findings.map((f) => `  ${f}`).join('\n')}`);
    return 1;
  }
  const allowed = process.env.AUDIT_ALLOW_UNREACHABLE === '1';
  console[allowed ? 'warn' : 'error'](`npm audit: the advisory database could not be asked (${verdict.reason}); ${allowed ? 'not checked (AUDIT_ALLOW_UNREACHABLE=1)' : 'run it where the registry answers POST /-/npm/v1/security/advisories/bulk'}`);
  return allowed ? 0 : 3;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main();
