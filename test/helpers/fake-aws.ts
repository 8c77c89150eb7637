/**
 * Fake AWS credential endpoints, for driving the real AWS SDK v3 credential providers in tests without
 * the network or real AWS config: STS (query protocol XML), IMDSv2, the container credentials endpoint,
 * and the SSO portal; plus {@link createAwsHome}, a throwaway `$HOME` with `~/.aws/config`,
 * `~/.aws/credentials` and `~/.aws/sso/cache`, and a scrubbed `AWS_*` environment.
 *
 * Every server listens on 127.0.0.1, port 0, is started and closed by the test, counts its calls, issues
 * numbered credentials (`accessKeyId` `ASIA<KIND><n>`, secrets containing `fake-secret`, tokens containing
 * `fake-token`, so tests can grep output for leaks) whose `Expiration` comes from an injectable clock, and
 * can be told to fail: HTTP 500, a throttling error, a hang (the response never comes), a malformed body,
 * or credentials that have already expired.
 *
 * Wire formats follow the SDK sources (`@smithy/credential-provider-imds`, `@aws-sdk/credential-provider-http`,
 * `@aws-sdk/credential-provider-sso`, `@aws-sdk/nested-clients/sts`).
 *
 * Per-process SDK caches to design around: shared config and credentials files are read once per path
 * (so {@link createAwsHome} makes a fresh directory each time); the SSO token provider de-duplicates
 * refreshes per `sso-session` name; `fromTemporaryCredentials` and the web identity provider keep their STS
 * client (and its endpoint) for the provider's lifetime; IMDS and SSO token checks use the real
 * `Date.now()`, so their fakes should use the real clock.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** How a fake endpoint misbehaves. */
export type Fault =
  /** HTTP 500 with the service's error body. */
  | 'http500'
  /** STS: HTTP 400 `Throttling` error XML; others: HTTP 429. */
  | 'throttling'
  /** Never answers (until the server closes). */
  | 'hang'
  /** HTTP 200 with a body the SDK cannot parse. */
  | 'malformed'
  /** HTTP 200 with well-formed credentials that expired an hour ago. */
  | 'expired';

/** What every fake server has in common. */
export interface FakeServer {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** Requests answered or held so far, including failed ones. */
  readonly calls: number;
  /** Requests currently held by the `hang` fault. */
  readonly hanging: number;
  /** Makes the next `times` credential requests (default: all, until {@link FakeServer.heal}) fail with `fault`. */
  fail(fault: Fault, times?: number): void;
  /** Stops failing. Requests already hanging stay hung until {@link FakeServer.close}. */
  heal(): void;
  /** Closes the server, dropping every connection (hung ones included). */
  close(): Promise<void>;
}

/** Credentials a fake issued, for assertions. */
export interface IssuedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

interface CommonOptions {
  /** Time source for `Expiration`, ms since the epoch. Default `Date.now`. */
  readonly clock?: (() => number) | undefined;
}

// ---------------------------------------------------------------------------------------------------
// Shared plumbing

interface Plumbing {
  calls: number;
  hung: Set<ServerResponse>;
  fault: Fault | undefined;
  faultsLeft: number;
  serial: number;
  issued: IssuedCredentials[];
}

/** Takes the current fault for one credential request, counting down `times`. */
function takeFault(state: Plumbing): Fault | undefined {
  if (state.fault === undefined) return undefined;
  const fault = state.fault;
  state.faultsLeft -= 1;
  if (state.faultsLeft <= 0) state.fault = undefined;
  return fault;
}

function issue(state: Plumbing, kind: string, clock: () => number, lifetimeMs: number, expired: boolean): IssuedCredentials {
  state.serial += 1;
  const n = String(state.serial).padStart(6, '0');
  const credentials: IssuedCredentials = {
    accessKeyId: `ASIA${kind}${n}`,
    secretAccessKey: `fake-secret-${kind.toLowerCase()}-${n}-${randomUUID()}`,
    sessionToken: `fake-token-${kind.toLowerCase()}-${n}-${randomUUID()}`,
    expiration: new Date(expired ? clock() - 3_600_000 : clock() + lifetimeMs),
  };
  state.issued.push(credentials);
  return credentials;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
  response.end(body);
}

async function listen(
  handler: (request: IncomingMessage, response: ServerResponse, state: Plumbing) => Promise<void> | void,
): Promise<{ server: Server; state: Plumbing; base: FakeServer }> {
  const state: Plumbing = { calls: 0, hung: new Set(), fault: undefined, faultsLeft: 0, serial: 0, issued: [] };
  const server = createServer((request, response) => {
    state.calls += 1;
    Promise.resolve(handler(request, response, state)).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, 'text/plain', `fake server bug: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const base: FakeServer = {
    endpoint: `http://127.0.0.1:${port}`,
    get calls() {
      return state.calls;
    },
    get hanging() {
      return state.hung.size;
    },
    fail(fault, times = Number.POSITIVE_INFINITY) {
      state.fault = fault;
      state.faultsLeft = times;
    },
    heal() {
      state.fault = undefined;
    },
    async close() {
      for (const response of state.hung) response.destroy();
      state.hung.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return { server, state, base };
}

/** Adds `extras` to `base`, keeping getters live (unlike `Object.assign`, which would snapshot them). */
function extend<B extends object, E extends object>(base: B, extras: E): B & E {
  return Object.defineProperties(base, Object.getOwnPropertyDescriptors(extras)) as B & E;
}

function hang(state: Plumbing, response: ServerResponse): void {
  state.hung.add(response);
  response.on('close', () => state.hung.delete(response));
}

/** ISO 8601 without milliseconds, as IMDS and the container endpoint write it. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// ---------------------------------------------------------------------------------------------------
// STS

/** One request the STS fake received. */
export interface StsRequest {
  readonly action: string;
  /** The form (or query) parameters, e.g. `RoleArn`, `DurationSeconds`, `WebIdentityToken`. */
  readonly params: Readonly<Record<string, string>>;
  /** The access key id from a SigV4 `Authorization` header; `undefined` for unsigned requests. */
  readonly signedWith: string | undefined;
}

/** Options for {@link startFakeSts}. */
export interface FakeStsOptions extends CommonOptions {
  /** Credential lifetime when the request has no `DurationSeconds`. Default 3600. */
  readonly durationSeconds?: number | undefined;
}

/** The STS fake: AssumeRole, AssumeRoleWithWebIdentity and GetSessionToken over the query protocol. */
export interface FakeSts extends FakeServer {
  readonly requests: readonly StsRequest[];
  readonly issued: readonly IssuedCredentials[];
  /** Calls per action, e.g. `{ AssumeRole: 3 }`. */
  readonly callsByAction: Readonly<Record<string, number>>;
}

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const STS_ACTIONS = new Set(['AssumeRole', 'AssumeRoleWithWebIdentity', 'GetSessionToken']);

/**
 * Starts an STS fake. Point an SDK STS client at it with `clientConfig: { endpoint, region }` (and
 * `maxAttempts: 1` to keep the SDK from retrying faults). `Expiration` is the clock's now plus the
 * request's `DurationSeconds` (or `durationSeconds`). AssumeRole and GetSessionToken must be SigV4-signed
 * (the signature itself is not checked), as real STS requires.
 */
export async function startFakeSts(options: FakeStsOptions = {}): Promise<FakeSts> {
  const clock = options.clock ?? Date.now;
  const requests: StsRequest[] = [];
  const callsByAction: Record<string, number> = {};
  const requestId = () => randomUUID();
  const errorXml = (type: string, code: string, message: string) =>
    `<ErrorResponse xmlns="${STS_NS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`;

  const { state, base } = await listen(async (request, response, state) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    if (request.method === 'POST') Object.assign(params, Object.fromEntries(new URLSearchParams(await readBody(request))));
    const action = params['Action'] ?? '';
    const authorization = request.headers.authorization;
    const signedWith = /^AWS4-HMAC-SHA256 Credential=([^/]+)\//.exec(authorization ?? '')?.[1];
    requests.push({ action, params, signedWith });
    callsByAction[action] = (callsByAction[action] ?? 0) + 1;

    if (!STS_ACTIONS.has(action)) {
      send(response, 400, 'text/xml', errorXml('Sender', 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`));
      return;
    }
    if (action !== 'AssumeRoleWithWebIdentity' && signedWith === undefined) {
      send(response, 403, 'text/xml', errorXml('Sender', 'MissingAuthenticationToken', 'Request is missing Authentication Token'));
      return;
    }
    const fault = takeFault(state);
    if (fault === 'hang') return hang(state, response);
    if (fault === 'http500') return send(response, 500, 'text/xml', errorXml('Receiver', 'InternalFailure', 'An internal error occurred (fake).'));
    if (fault === 'throttling') return send(response, 400, 'text/xml', errorXml('Sender', 'Throttling', 'Rate exceeded'));
    if (fault === 'malformed') return send(response, 200, 'text/xml', `<${action}Response xmlns="${STS_NS}"><${action}Result><Credentials><AccessKeyId>`);

    const seconds = Number(params['DurationSeconds'] ?? options.durationSeconds ?? 3600);
    const credentials = issue(state, 'STS', clock, seconds * 1000, fault === 'expired');
    const credentialsXml =
      `<Credentials><AccessKeyId>${credentials.accessKeyId}</AccessKeyId><SecretAccessKey>${credentials.secretAccessKey}</SecretAccessKey>` +
      `<SessionToken>${credentials.sessionToken}</SessionToken><Expiration>${credentials.expiration.toISOString()}</Expiration></Credentials>`;
    const sessionName = params['RoleSessionName'] ?? 'session';
    const roleName = (params['RoleArn'] ?? 'arn:aws:iam::123456789012:role/fake').split('/').pop();
    const assumedRoleUser = `<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/${roleName}/${sessionName}</Arn><AssumedRoleId>AROAFAKE:${sessionName}</AssumedRoleId></AssumedRoleUser>`;
    const extra =
      action === 'AssumeRole'
        ? assumedRoleUser
        : action === 'AssumeRoleWithWebIdentity'
          ? `${assumedRoleUser}<SubjectFromWebIdentityToken>fake-subject</SubjectFromWebIdentityToken><Audience>fake-audience</Audience><Provider>fake-idp</Provider>`
          : '';
    send(
      response,
      200,
      'text/xml',
      `<${action}Response xmlns="${STS_NS}"><${action}Result>${credentialsXml}${extra}</${action}Result>` +
        `<ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></${action}Response>`,
      { 'x-amzn-requestid': requestId() },
    );
  });
  return extend(base, { requests, issued: state.issued, callsByAction });
}

// ---------------------------------------------------------------------------------------------------
// IMDS

/** Options for {@link startFakeImds}. */
export interface FakeImdsOptions extends CommonOptions {
  /** The instance profile's role name. Default `fake-instance-role`. */
  readonly roleName?: string | undefined;
  /** Credential lifetime in ms. Default 6 hours. */
  readonly lifetimeMs?: number | undefined;
}

/** The IMDS fake (IMDSv2 only: every metadata GET needs the session token). */
export interface FakeImds extends FakeServer {
  readonly issued: readonly IssuedCredentials[];
  /** `PUT /latest/api/token` calls. */
  readonly tokenCalls: number;
  /** `GET .../security-credentials/<role>` calls. */
  readonly credentialCalls: number;
}

const IMDS_CREDENTIALS_PATH = '/latest/meta-data/iam/security-credentials/';

/**
 * Starts an IMDS fake. Point `fromInstanceMetadata()` at it with
 * `AWS_EC2_METADATA_SERVICE_ENDPOINT=<endpoint>`. Serves the IMDSv2 token (`PUT /latest/api/token`), the
 * role listing and the role's credentials JSON; metadata GETs without a valid token get 401.
 */
export async function startFakeImds(options: FakeImdsOptions = {}): Promise<FakeImds> {
  const clock = options.clock ?? Date.now;
  const roleName = options.roleName ?? 'fake-instance-role';
  const tokens = new Set<string>();
  let tokenCalls = 0;
  let credentialCalls = 0;
  const { state, base } = await listen((request, response, state) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (request.method === 'PUT' && path === '/latest/api/token') {
      tokenCalls += 1;
      if (request.headers['x-aws-ec2-metadata-token-ttl-seconds'] === undefined) return send(response, 400, 'text/plain', 'Bad Request');
      const token = `fake-imds-session-${randomUUID()}`;
      tokens.add(token);
      return send(response, 200, 'text/plain', token, { 'x-aws-ec2-metadata-token-ttl-seconds': String(request.headers['x-aws-ec2-metadata-token-ttl-seconds']) });
    }
    if (request.method !== 'GET') return send(response, 405, 'text/plain', 'Method Not Allowed');
    const token = request.headers['x-aws-ec2-metadata-token'];
    if (typeof token !== 'string' || !tokens.has(token)) return send(response, 401, 'text/plain', 'Unauthorized');
    if (path === IMDS_CREDENTIALS_PATH) return send(response, 200, 'text/plain', roleName);
    if (path !== `${IMDS_CREDENTIALS_PATH}${roleName}`) return send(response, 404, 'text/plain', 'Not Found');

    credentialCalls += 1;
    const fault = takeFault(state);
    if (fault === 'hang') return hang(state, response);
    if (fault === 'http500') return send(response, 500, 'text/plain', 'Internal Server Error');
    if (fault === 'throttling') return send(response, 429, 'text/plain', 'Too Many Requests');
    if (fault === 'malformed') return send(response, 200, 'text/plain', '{"Code":"Success","AccessKeyId":');
    const credentials = issue(state, 'IMDS', clock, options.lifetimeMs ?? 6 * 3_600_000, fault === 'expired');
    send(
      response,
      200,
      'text/plain',
      JSON.stringify({
        Code: 'Success',
        LastUpdated: isoSeconds(new Date(clock())),
        Type: 'AWS-HMAC',
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        Token: credentials.sessionToken,
        Expiration: isoSeconds(credentials.expiration),
      }),
    );
  });
  return extend(base, {
    issued: state.issued,
    get tokenCalls() {
      return tokenCalls;
    },
    get credentialCalls() {
      return credentialCalls;
    },
  });
}

// ---------------------------------------------------------------------------------------------------
// Container credentials (ECS / EKS Pod Identity / Greengrass)

/** Options for {@link startFakeContainerCredentials}. */
export interface FakeContainerOptions extends CommonOptions {
  /** When set, requests must carry exactly this `Authorization` header, or get 401. */
  readonly authorizationToken?: string | undefined;
  /** Credential lifetime in ms. Default 6 hours. */
  readonly lifetimeMs?: number | undefined;
}

/** The container credentials fake. */
export interface FakeContainerCredentials extends FakeServer {
  readonly issued: readonly IssuedCredentials[];
  /** `${endpoint}/v2/credentials/fake`: the value for `AWS_CONTAINER_CREDENTIALS_FULL_URI`. */
  readonly fullUri: string;
  /** The `Authorization` header of each request. */
  readonly authorizations: ReadonlyArray<string | undefined>;
}

/**
 * Starts a container credentials fake answering any GET with the credentials JSON
 * (`AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`, `RoleArn`), for `fromContainerMetadata()`
 * and `fromHttp()` via `AWS_CONTAINER_CREDENTIALS_FULL_URI` (loopback http is allowed by both).
 */
export async function startFakeContainerCredentials(options: FakeContainerOptions = {}): Promise<FakeContainerCredentials> {
  const clock = options.clock ?? Date.now;
  const authorizations: Array<string | undefined> = [];
  const { state, base } = await listen((request, response, state) => {
    authorizations.push(request.headers.authorization);
    if (options.authorizationToken !== undefined && request.headers.authorization !== options.authorizationToken) {
      return send(response, 401, 'application/json', JSON.stringify({ Code: 'AccessDenied', Message: 'Invalid authorization token' }));
    }
    const fault = takeFault(state);
    if (fault === 'hang') return hang(state, response);
    if (fault === 'http500') return send(response, 500, 'application/json', JSON.stringify({ Code: 'InternalError', Message: 'fake' }));
    if (fault === 'throttling') return send(response, 429, 'application/json', JSON.stringify({ Code: 'TooManyRequests', Message: 'fake' }));
    if (fault === 'malformed') return send(response, 200, 'application/json', '{"AccessKeyId":');
    const credentials = issue(state, 'ECS', clock, options.lifetimeMs ?? 6 * 3_600_000, fault === 'expired');
    send(
      response,
      200,
      'application/json',
      JSON.stringify({
        RoleArn: 'arn:aws:iam::123456789012:role/fake-task-role',
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        Token: credentials.sessionToken,
        Expiration: isoSeconds(credentials.expiration),
      }),
    );
  });
  return extend(base, { issued: state.issued, fullUri: `${base.endpoint}/v2/credentials/fake`, authorizations });
}

// ---------------------------------------------------------------------------------------------------
// SSO portal

/** Options for {@link startFakeSsoPortal}. */
export interface FakeSsoPortalOptions extends CommonOptions {
  /** The bearer token the portal accepts (`x-amz-sso_bearer_token`). */
  readonly accessToken: string;
  /** Credential lifetime in ms. Default 1 hour. */
  readonly lifetimeMs?: number | undefined;
}

/** One `GetRoleCredentials` request. */
export interface SsoRequest {
  readonly accountId: string | null;
  readonly roleName: string | null;
  readonly bearerToken: string | undefined;
}

/** The SSO portal fake. */
export interface FakeSsoPortal extends FakeServer {
  readonly issued: readonly IssuedCredentials[];
  readonly requests: readonly SsoRequest[];
}

/**
 * Starts an SSO portal fake serving `GET /federation/credentials?account_id=…&role_name=…` (the SSO
 * `GetRoleCredentials` operation, REST-JSON) with `roleCredentials` whose `expiration` is epoch
 * milliseconds. Point `fromSSO()` at it with `clientConfig: { endpoint }`; a wrong or missing bearer token
 * gets 401 `UnauthorizedException`.
 */
export async function startFakeSsoPortal(options: FakeSsoPortalOptions): Promise<FakeSsoPortal> {
  const clock = options.clock ?? Date.now;
  const requests: SsoRequest[] = [];
  const { state, base } = await listen((request, response, state) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const bearer = request.headers['x-amz-sso_bearer_token'];
    const bearerToken = typeof bearer === 'string' ? bearer : undefined;
    requests.push({ accountId: url.searchParams.get('account_id'), roleName: url.searchParams.get('role_name'), bearerToken });
    const error = (status: number, type: string, message: string) =>
      send(response, status, 'application/json', JSON.stringify({ message }), { 'x-amzn-errortype': type });
    if (request.method !== 'GET' || url.pathname !== '/federation/credentials') return error(404, 'ResourceNotFoundException', 'Not found');
    if (bearerToken !== options.accessToken) return error(401, 'UnauthorizedException', 'Session token not found or invalid');
    if (!url.searchParams.get('account_id') || !url.searchParams.get('role_name')) return error(400, 'InvalidRequestException', 'Missing account_id or role_name');
    const fault = takeFault(state);
    if (fault === 'hang') return hang(state, response);
    if (fault === 'http500') return error(500, 'InternalServerException', 'fake');
    if (fault === 'throttling') return error(429, 'TooManyRequestsException', 'fake');
    if (fault === 'malformed') return send(response, 200, 'application/json', '{"roleCredentials":');
    const credentials = issue(state, 'SSO', clock, options.lifetimeMs ?? 3_600_000, fault === 'expired');
    send(
      response,
      200,
      'application/json',
      JSON.stringify({
        roleCredentials: {
          accessKeyId: credentials.accessKeyId,
          secretAccessKey: credentials.secretAccessKey,
          sessionToken: credentials.sessionToken,
          expiration: credentials.expiration.getTime(),
        },
      }),
    );
  });
  return extend(base, { issued: state.issued, requests });
}

// ---------------------------------------------------------------------------------------------------
// A throwaway $HOME and a scrubbed environment

/** Options for {@link createAwsHome}. */
export interface AwsHomeOptions {
  /** Contents of `~/.aws/config`. */
  readonly config?: string | undefined;
  /** Contents of `~/.aws/credentials`. */
  readonly credentials?: string | undefined;
  /**
   * SSO token cache entries, keyed by `sso-session` name (or, for legacy profiles, `sso_start_url`):
   * each is written to `~/.aws/sso/cache/<sha1(key)>.json`, as `aws sso login` does.
   */
  readonly ssoTokens?: Readonly<Record<string, object>> | undefined;
  /** Extra files, by path relative to the home directory (e.g. a web identity token). */
  readonly files?: Readonly<Record<string, string>> | undefined;
  /**
   * Environment variables to set after scrubbing (`undefined` removes one). Applied last, so they can
   * override the defaults, e.g. `{ AWS_EC2_METADATA_DISABLED: undefined }`.
   */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** A temporary home directory, installed in `process.env` until {@link AwsHome.restore}. */
export interface AwsHome {
  readonly home: string;
  readonly configFile: string;
  readonly credentialsFile: string;
  /** The absolute path of a file relative to the home directory. */
  path(relative: string): string;
  /** Puts every environment variable back as it was and deletes the directory. */
  restore(): Promise<void>;
}

/** The file name the SDK uses for an SSO token cache entry: `sha1(key)` in hex, plus `.json`. */
export function ssoCacheFileName(key: string): string {
  return `${createHash('sha1').update(key).digest('hex')}.json`;
}

const HOME_VARIABLES = ['HOME', 'USERPROFILE', 'HOMEPATH', 'HOMEDRIVE'];

/**
 * Creates a fresh temporary home with `~/.aws/config`, `~/.aws/credentials` (both empty unless given) and
 * `~/.aws/sso/cache/*.json`, and points the environment at it: `HOME` and `USERPROFILE`,
 * `AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`; every other `AWS_*` variable (keys, `AWS_PROFILE`,
 * `AWS_REGION`, container and IMDS endpoints, `AWS_ENDPOINT_URL*`, …) is removed, and
 * `AWS_EC2_METADATA_DISABLED=true` keeps provider chains away from the real 169.254.169.254. Then
 * `options.env` is applied. Tests that use it must not run concurrently within one process.
 */
export async function createAwsHome(options: AwsHomeOptions = {}): Promise<AwsHome> {
  const home = await mkdtemp(join(tmpdir(), 'got-aws4auth-home-'));
  const path = (relative: string) => join(home, relative);
  const configFile = path('.aws/config');
  const credentialsFile = path('.aws/credentials');
  await mkdir(path('.aws/sso/cache'), { recursive: true });
  await writeFile(configFile, options.config ?? '');
  await writeFile(credentialsFile, options.credentials ?? '');
  for (const [key, token] of Object.entries(options.ssoTokens ?? {})) {
    await writeFile(path(`.aws/sso/cache/${ssoCacheFileName(key)}`), JSON.stringify(token, null, 2));
  }
  for (const [relative, contents] of Object.entries(options.files ?? {})) {
    await mkdir(dirname(path(relative)), { recursive: true });
    await writeFile(path(relative), contents);
  }

  const saved = new Map<string, string | undefined>();
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) saved.set(name, process.env[name]);
  for (const name of HOME_VARIABLES) saved.set(name, process.env[name]);
  const set = (name: string, value: string | undefined) => {
    if (!saved.has(name)) saved.set(name, process.env[name]);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  for (const name of saved.keys()) if (name.startsWith('AWS_')) delete process.env[name];
  set('HOME', home);
  set('USERPROFILE', home);
  set('AWS_CONFIG_FILE', configFile);
  set('AWS_SHARED_CREDENTIALS_FILE', credentialsFile);
  set('AWS_EC2_METADATA_DISABLED', 'true');
  for (const [name, value] of Object.entries(options.env ?? {})) set(name, value);

  let restored = false;
  return {
    home,
    configFile,
    credentialsFile,
    path,
    async restore() {
      if (restored) return;
      restored = true;
      for (const name of Object.keys(process.env)) if (name.startsWith('AWS_') && !saved.has(name)) delete process.env[name];
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await rm(home, { recursive: true, force: true });
    },
  };
}
