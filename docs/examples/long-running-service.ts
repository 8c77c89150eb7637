/**
 * A long-running service on assume-role credentials: it obtains temporary credentials with
 * `fromTemporaryCredentials`, lets got-aws4auth's credential cache rotate them ahead of expiry, and keeps
 * uploading, listing, downloading and presigning S3 objects through `got.extend(aws4Hooks(...))`, printing
 * each rotation and each result. It never touches a credential itself.
 *
 * Configuration (environment):
 *   S3_ENDPOINT        e.g. https://s3.eu-west-1.amazonaws.com, or a local S3-compatible server
 *   AWS_REGION         e.g. eu-west-1
 *   ROLE_ARN           the role to assume
 *   BUCKET             the bucket to work in (created if missing)
 *   ITERATIONS         how many work cycles to run (default: forever)
 *   ROTATE_EVERY_SECONDS  rotate the credentials this often instead of a few minutes before they expire, so a
 *                      demo sees several rotations in a minute (default: rotate only ahead of expiry)
 * The role is assumed with the default credential chain (environment, profile, SSO, instance role...).
 */
import got from 'got';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { aws4Hooks, CredentialCache, presignUrl } from 'got-aws4auth';

const endpoint = requiredEnv('S3_ENDPOINT');
const region = requiredEnv('AWS_REGION');
const roleArn = requiredEnv('ROLE_ARN');
const bucket = requiredEnv('BUCKET');
const iterations = Number(process.env.ITERATIONS ?? Number.POSITIVE_INFINITY);
const rotateEverySeconds = Number(process.env.ROTATE_EVERY_SECONDS ?? 0);

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`Set ${name}; see the top of ${import.meta.url}`);
  return value;
}

function log(message: string): void {
  console.log(`${new Date().toISOString().slice(11, 19)}  ${message}`);
}

const assumeRole = fromTemporaryCredentials({
  params: { RoleArn: roleArn, RoleSessionName: 'got-aws4auth-demo', DurationSeconds: 900 },
  clientConfig: { region, endpoint: process.env.STS_ENDPOINT, maxAttempts: 3 },
});

// STS issues credentials for at least 15 minutes. To rotate sooner, report an earlier expiration: the cache
// refreshes at the latest halfway through the lifetime it is told.
const provider: typeof assumeRole =
  rotateEverySeconds > 0
    ? async (options) => {
        const identity = await assumeRole(options);
        const early = Date.now() + 2 * rotateEverySeconds * 1000;
        return { ...identity, expiration: new Date(Math.min(identity.expiration?.getTime() ?? early, early)) };
      }
    : assumeRole;

const credentials = new CredentialCache(provider, {
    onRefresh: ({ accessKeyId, expiration }) => log(`credentials rotated: ${accessKeyId.slice(0, 8)}… valid until ${expiration?.toISOString() ?? 'forever'}`),
    onRefreshError: (error) => log(`credential refresh failed, old credentials still serving: ${error.message}`),
});

const s3 = got.extend({ prefixUrl: endpoint, retry: { limit: 3 } }, aws4Hooks({ region, service: 's3', credentials }));

async function ensureBucket(): Promise<void> {
  const exists = await s3.head(bucket, { throwHttpErrors: false });
  if (exists.statusCode === 404) {
    await s3.put(bucket);
    log(`created bucket ${bucket}`);
  }
}

async function workCycle(cycle: number): Promise<void> {
  const key = `reports/cycle ${cycle}+día.txt`;
  const path = `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
  const body = `report ${cycle} written at ${new Date().toISOString()}\n`;

  await s3.put(path, { body });
  const listing = await s3.get(bucket, { searchParams: { 'list-type': '2', prefix: 'reports/' } }).text();
  const listed = [...listing.matchAll(/<Key>([^<]*)<\/Key>/g)].length;
  const downloaded = await s3.get(path).text();

  const identity = await credentials.getCredentials();
  const presigned = presignUrl({ method: 'GET', url: `${endpoint.replace(/\/$/, '')}/${path}` }, { credentials: identity, region, service: 's3', expiresIn: 300 });
  const viaPresigned = await got(presigned).text();

  const ok = downloaded === body && viaPresigned === body;
  log(`cycle ${cycle}: put, listed ${listed} object(s), got back ${downloaded === body ? 'the same bytes' : 'DIFFERENT bytes'}, presigned GET ${viaPresigned === body ? 'ok' : 'FAILED'}`);
  if (!ok) throw new Error(`cycle ${cycle}: the object did not read back as written`);
}

await ensureBucket();
for (let cycle = 1; cycle <= iterations; cycle++) {
  await workCycle(cycle);
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
log(`done: ${Number.isFinite(iterations) ? iterations : 'all'} cycles, credentials: ${String(credentials)}`);
