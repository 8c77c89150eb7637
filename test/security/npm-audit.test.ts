import { describe, expect, it } from 'vitest';
import { auditVerdict } from './npm-audit.js';

describe('the npm audit release gate', () => {
  it('is clean only for a report with zero vulnerabilities', () => {
    const report = { auditReportVersion: 2, vulnerabilities: {}, metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 }, dependencies: { prod: 97 } } };
    expect(auditVerdict(JSON.stringify(report))).toEqual({ kind: 'clean', dependencies: 97 });
  });

  it('names each vulnerable package with its range, severity and advisory', () => {
    const report = {
      auditReportVersion: 2,
      vulnerabilities: { 'fast-xml-parser': { name: 'fast-xml-parser', severity: 'high', range: '<4.4.1', via: [{ title: 'ReDoS in currency parsing' }] } },
      metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 1, critical: 0, total: 1 } },
    };
    expect(auditVerdict(JSON.stringify(report))).toEqual({ kind: 'vulnerable', findings: ['fast-xml-parser <4.4.1 (high): ReDoS in currency parsing'] });
  });

  it('treats a registry that refuses the advisory request (here: HTTP 405) as not checked, never as clean', () => {
    const answer = { message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', statusCode: 405, body: '', error: { summary: '', detail: '' } };
    expect(auditVerdict(JSON.stringify(answer))).toEqual({ kind: 'unreachable', reason: 'HTTP 405: 405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk' });
    expect(auditVerdict('').kind).toBe('unreachable');
    expect(auditVerdict('npm error network').kind).toBe('unreachable');
  });
});
