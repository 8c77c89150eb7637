/**
 * `npm run demo`: the README's first command. Starts a local Ceph RGW (a real S3 server that verifies
 * SigV4, with its own STS), installing it first if it is missing, then runs long-running-service.ts
 * against it with assume-role credentials from RGW's STS, and stops the server. No AWS account needed.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

process.env.RGW_STATE_DIR ??= fileURLToPath(new URL('../../.tmp/rgw-demo', import.meta.url));
const { startRgw, stopRgw, uniqueBucketName } = await import('../../test/helpers/rgw.js');

console.log('Starting a local Ceph RGW server (installs radosgw from Debian packages on first use)...');
const rgw = await startRgw();
console.log(`RGW is up at ${rgw.endpoint}\n`);
let exitCode = 1;
try {
  exitCode = await new Promise<number>((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      S3_ENDPOINT: rgw.endpoint,
      STS_ENDPOINT: rgw.endpoint,
      AWS_REGION: rgw.region,
      ROLE_ARN: rgw.roleArn,
      BUCKET: uniqueBucketName('demo'),
      AWS_ACCESS_KEY_ID: rgw.accessKeyId,
      AWS_SECRET_ACCESS_KEY: rgw.secretAccessKey,
      ITERATIONS: process.env.ITERATIONS ?? '25',
      ROTATE_EVERY_SECONDS: process.env.ROTATE_EVERY_SECONDS ?? '8',
    };
    // The demo's master credentials are RGW's test user, whatever the machine has configured.
    for (const name of ['AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_WEB_IDENTITY_TOKEN_FILE']) delete env[name];
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./long-running-service.ts', import.meta.url))], {
      stdio: 'inherit',
      env,
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
} finally {
  await stopRgw();
  console.log('\nRGW stopped.');
}
process.exitCode = exitCode;
