import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { runCli, useCliFixture } from './support.js';

const fixture = useCliFixture();
const SCOPE = ['--service', 'es', '--region', 'eu-west-1'];
const LARGE = randomBytes(6 * 1024 * 1024);
const SMALL = randomBytes(1024 * 1024);

beforeAll(async () => {
  await writeFile(join(fixture.dir, 'large.bin'), LARGE);
});
beforeEach(() => {
  fixture.server.respond((request, response) => {
    const body = request.target === '/large' ? LARGE : request.target === '/small' ? SMALL : Buffer.from('ok');
    response.setHeader('content-length', body.length);
    response.end(body);
  });
});

describe('got-aws4auth: progress bars on stderr', () => {
  it('draws a download bar for a transfer over 4 MiB when stderr is a terminal, leaving stdout the body', async () => {
    const result = await runCli([...SCOPE, `${fixture.server.origin}/large`], { isTTY: true });
    expect(result.code).toBe(0);
    expect(result.stdout.equals(LARGE)).toBe(true);
    expect(result.stderr).toMatch(/download \[[^\]]*\] 100% \| 6\.0 MiB of 6\.0 MiB/);
  });

  it('draws an upload bar for a large file upload', async () => {
    const result = await runCli([...SCOPE, '-T', join(fixture.dir, 'large.bin'), `${fixture.server.origin}/put`], { isTTY: true });
    expect(result.code).toBe(0);
    expect(fixture.server.requests[0]?.verified).toBe(true);
    expect(fixture.server.requests[0]?.body.equals(LARGE)).toBe(true);
    expect(result.stderr).toMatch(/upload \[[^\]]*\] 100%/);
  });

  it.each([
    ['stderr is not a terminal', '/large', false, []],
    ['the transfer is small', '/small', true, []],
    ['--silent is given', '/large', true, ['--silent']],
  ])('draws nothing when %s', async (_why, path, isTTY, extra) => {
    const result = await runCli([...SCOPE, ...extra, `${fixture.server.origin}${path}`], { isTTY });
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBe(path === '/large' ? LARGE.length : SMALL.length);
    expect(result.stderr).toBe('');
  });
});
