import { describe, expect, it, beforeAll } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('got-aws4auth/signer on its own', () => {
  let project: string;

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist/signer/index.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    project = mkdtempSync(join(tmpdir(), 'signer-only-'));
    const installed = join(project, 'node_modules', 'got-aws4auth');
    mkdirSync(installed, { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(installed, 'package.json'));
    cpSync(join(ROOT, 'dist'), join(installed, 'dist'), { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
    return () => rmSync(project, { recursive: true, force: true });
  });

  it('imports and signs in a project where neither got nor any @aws-sdk package is installed', () => {
    const script = `
      import { signRequest } from 'got-aws4auth/signer';
      const missing = [];
      for (const name of ['got', '@aws-sdk/credential-providers', '@smithy/types']) {
        try { await import(name); missing.push(name + ' is installed'); } catch {}
      }
      const signed = signRequest({ method: 'GET', url: 'https://example.amazonaws.com/' }, {
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
        region: 'us-east-1', service: 'service', date: new Date('2015-08-30T12:36:00Z'),
      });
      console.log(JSON.stringify({ missing, signature: signed.signature }));
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: project, encoding: 'utf8' });
    const result = JSON.parse(output.trim().split('\n').pop() as string);
    expect(result.missing).toEqual([]);
    expect(result.signature).toBe('5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
  });
});
