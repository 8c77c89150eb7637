/**
 * A child process for test/signer/memo.test.ts: signs with a session token and a secret derived at run
 * time from a seed (so the parent can look for them, while this process never holds them as its own
 * input), drops every reference of its own, optionally calls `clearSignerCaches()`, collects garbage and
 * writes a heap snapshot. What the snapshot still holds is what the signer's module state kept.
 *
 * Usage: node --expose-gc --import tsx test/helpers/signer-heap-child.ts <seed> <keep|clear> <snapshot file>
 */
import { createHash } from 'node:crypto';
import { writeHeapSnapshot } from 'node:v8';
import { clearSignerCaches, presignUrl, signChunkedUpload, signRequest } from '../../src/signer/index.js';

/** The run-time token and secret for a seed (the parent derives the same ones). */
export function heapSecrets(seed: string): { token: string; secret: string } {
  return {
    token: createHash('sha256').update(`${seed}:token`).digest('hex'),
    secret: createHash('sha256').update(`${seed}:secret`).digest('hex'),
  };
}

function signWith(seed: string): void {
  const { token, secret } = heapSecrets(seed);
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: `S/${secret}`, sessionToken: `T+${token}` };
  const date = new Date('2015-08-30T12:36:00Z');
  const url = 'https://examplebucket.s3.amazonaws.com/k';
  signRequest({ method: 'GET', url, headers: { 'x-amz-meta-a': 'b' } }, { credentials, region: 'us-east-1', service: 's3', date });
  signRequest({ method: 'GET', url: `${url}?X-Amz-Security-Token=${token}` }, { credentials, region: 'eu-west-1', service: 'es', date });
  presignUrl({ method: 'GET', url }, { credentials, region: 'us-east-1', service: 's3', date, expiresIn: 60 });
  signRequest({ method: 'GET', url }, { credentials, service: 's3', algorithm: 'sigv4a', regionSet: ['*'], date });
  signChunkedUpload({ method: 'PUT', url }, { credentials, region: 'us-east-1', service: 's3', date }, { decodedLength: 10 });
}

const [seed = '', mode = 'clear', file = 'signer.heapsnapshot'] = process.argv.slice(2);
if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('signer-heap-child.ts')) {
  signWith(seed);
  if (mode === 'clear') clearSignerCaches();
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  writeHeapSnapshot(file);
}
