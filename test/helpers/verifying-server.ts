/**
 * A local HTTP server that records every request it receives and checks its SigV4 signature with an
 * independent oracle (@smithy/signature-v4), so plugin tests can assert "the server accepted it" without
 * AWS. Responses are scripted per test.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Hash } from '@smithy/hash-node';

export interface ReceivedRequest {
  method: string;
  /** The request target exactly as received (path and query). */
  target: string;
  headers: IncomingMessage['headers'];
  rawHeaders: string[];
  body: Buffer;
  /** Whether the Authorization header is a valid SigV4 signature of what was received. */
  verified: boolean;
  /** Why verification failed, if it did. */
  problem?: string;
  /** The access key id and scope the request was signed with. */
  accessKeyId?: string;
  region?: string;
  service?: string;
}

export type Responder = (request: ReceivedRequest, response: ServerResponse) => void | Promise<void>;

export interface VerifyingServer {
  readonly origin: string;
  readonly port: number;
  readonly requests: ReceivedRequest[];
  /** Sets how the server answers; default 200 with `ok`. */
  respond(responder: Responder): void;
  close(): Promise<void>;
}

function awsEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function parseAuthorization(header: string): { accessKeyId: string; date: string; region: string; service: string; signedHeaders: string[] } | undefined {
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(header);
  if (match === null) return undefined;
  return { accessKeyId: match[1]!, date: match[2]!, region: match[3]!, service: match[4]!, signedHeaders: match[5]!.split(';') };
}

async function verify(request: ReceivedRequest, secrets: ReadonlyMap<string, string>): Promise<void> {
  const authorization = request.headers.authorization;
  const parsed = authorization === undefined ? undefined : parseAuthorization(authorization);
  if (parsed === undefined) {
    request.problem = authorization === undefined ? 'no authorization header' : 'malformed authorization header';
    return;
  }
  Object.assign(request, { accessKeyId: parsed.accessKeyId, region: parsed.region, service: parsed.service });
  const secret = secrets.get(parsed.accessKeyId);
  if (secret === undefined) {
    request.problem = `unknown access key ${parsed.accessKeyId}`;
    return;
  }
  const amzDate = request.headers['x-amz-date'];
  if (typeof amzDate !== 'string') {
    request.problem = 'no x-amz-date';
    return;
  }
  const declared = request.headers['x-amz-content-sha256'];
  if (typeof declared === 'string' && /^[0-9a-f]{64}$/.test(declared) && declared !== createHash('sha256').update(request.body).digest('hex')) {
    request.problem = 'x-amz-content-sha256 does not match the body';
    return;
  }
  const s3 = parsed.service === 's3';
  const [rawPath = '/', rawQuery = ''] = request.target.split(/\?(.*)/s);
  const path = s3 ? rawPath.split('/').map((s) => awsEncode(safeDecode(s))).join('/') : rawPath;
  const query: Record<string, string | string[]> = {};
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = safeDecode(eq === -1 ? part : part.slice(0, eq));
    const value = safeDecode(eq === -1 ? '' : part.slice(eq + 1));
    const existing = query[key];
    query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  const headers: Record<string, string> = {};
  for (const name of parsed.signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) {
      request.problem = `signed header ${name} was not received`;
      return;
    }
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: parsed.accessKeyId, secretAccessKey: secret, sessionToken: undefined },
    region: parsed.region,
    service: parsed.service,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: !s3,
    applyChecksum: false,
  });
  const date = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  const [hostname, port] = (request.headers.host ?? '').split(':');
  const expected = await signer.sign(
    new HttpRequest({ method: request.method, protocol: 'http:', hostname, port: port === undefined ? undefined : Number(port), path, query, headers, body: typeof declared === 'string' ? undefined : request.body }),
    { signingDate: date, signableHeaders: new Set(parsed.signedHeaders), unsignableHeaders: new Set() },
  );
  if (expected.headers.authorization === authorization) request.verified = true;
  else request.problem = `signature mismatch: expected ${expected.headers.authorization}`;
}

/**
 * Starts a verifying server on 127.0.0.1 with a random port. `secrets` maps access key ids to secret keys.
 */
export async function startVerifyingServer(secrets: Record<string, string>): Promise<VerifyingServer> {
  const secretMap = new Map(Object.entries(secrets));
  const requests: ReceivedRequest[] = [];
  let responder: Responder = (_request, response) => {
    response.end('ok');
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received: ReceivedRequest = {
        method: req.method ?? '',
        target: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks),
        verified: false,
      };
      requests.push(received);
      verify(received, secretMap)
        .catch((error: unknown) => {
          received.problem = `verifier failed: ${String(error)}`;
        })
        .then(() => responder(received, res))
        .catch(() => res.destroy());
    });
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    respond(next) {
      responder = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
