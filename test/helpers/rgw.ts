/**
 * Node API over `test/servers/rgw.sh`: a throwaway single-node Ceph RADOS Gateway on 127.0.0.1,
 * the real SigV4-verifying S3 / STS / IAM server the integration tests run against.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

/** A running RGW, as `rgw.sh start` describes it in `state.json`. */
export interface RgwServer {
  /** `http://127.0.0.1:PORT`: S3, STS (service `sts`) and IAM (service `iam`) all answer here. */
  endpoint: string;
  /** The `Host` header value, with the port: `127.0.0.1:PORT` (like `URL.host`). */
  host: string;
  /** `127.0.0.1` (like `URL.hostname`). */
  hostname: string;
  port: number;
  /** Long-term credentials of the test user `tester` (fixed values, local throwaway server only). */
  accessKeyId: string;
  secretAccessKey: string;
  /** A role `tester` may assume (`sts:AssumeRole`); it allows `s3:*`. ARNs have an empty account field. */
  roleArn: string;
  /** RGW does not enforce the region in the credential scope; this is the one the tests sign with. */
  region: 'us-east-1';
}

interface StateJson {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  roleArn: string;
  stateDir: string;
  pids: { mon: number; osd: number; rgw: number };
}

const SCRIPT = fileURLToPath(new URL('../servers/rgw.sh', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

function runScript(
  command: 'start' | 'stop' | 'status',
  timeoutMs: number,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [SCRIPT, command],
      { cwd: PROJECT_ROOT, timeout: timeoutMs, killSignal: 'SIGTERM', maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const why = error.killed ? `timed out after ${timeoutMs} ms` : `exited with ${String(error.code)}`;
          reject(new Error(`test/servers/rgw.sh ${command} ${why}\n--- stderr ---\n${stderr}\n--- stdout ---\n${stdout}`));
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}

/** Parses `rgw.sh start`'s output: its last line is `state.json`. */
export function parseRgwState(stdout: string): RgwServer {
  const lastLine = stdout.trim().split('\n').at(-1) ?? '';
  let state: StateJson;
  try {
    state = JSON.parse(lastLine) as StateJson;
  } catch {
    throw new Error(`rgw.sh start did not end with state.json; its output was:\n${stdout}`);
  }
  const url = new URL(state.endpoint);
  return {
    endpoint: state.endpoint,
    host: url.host,
    hostname: url.hostname,
    port: Number(url.port),
    accessKeyId: state.accessKeyId,
    secretAccessKey: state.secretAccessKey,
    roleArn: state.roleArn,
    region: 'us-east-1',
  };
}

/**
 * Starts RGW (installing the Debian packages first if they are missing, which takes about a
 * minute; a start alone takes a few seconds). Any server left by an earlier, crashed run in the
 * same state dir (`$RGW_STATE_DIR`, default `.tmp/rgw`) is stopped first.
 */
export async function startRgw(options: { timeoutMs?: number } = {}): Promise<RgwServer> {
  const { stdout } = await runScript('start', options.timeoutMs ?? 600_000);
  return parseRgwState(stdout);
}

/** Stops the daemons `startRgw` started and removes the state dir. Safe to call when not running. */
export async function stopRgw(options: { timeoutMs?: number } = {}): Promise<void> {
  await runScript('stop', options.timeoutMs ?? 120_000);
}

/**
 * A fresh, valid S3 bucket name: lowercase letters, digits and hyphens, 3 to 63 characters,
 * starting with `prefix` (sanitised) and ending with a random suffix.
 */
export function uniqueBucketName(prefix = 'test'): string {
  const clean =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'b';
  const suffix = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  return `${clean}-${suffix}`.slice(0, 63);
}
