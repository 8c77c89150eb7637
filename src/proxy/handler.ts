/**
 * One inbound request, start to end: refuse what is not ours to sign, verify the client when client keys
 * are configured, pick the upstream and scope, decode the body, sign with the real credentials, send, and
 * relay the answer. Every failure becomes an AWS-style error (or, once a response is under way, a cut
 * connection), and every request one access-log entry.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AWS4AuthError } from '../signer/errors.js';
import { ChunkedBodyError } from '../signer/verify-chunked-error.js';
import type { ResolvedProxyOptions } from './options.js';
import { ProxyRefusal, sendRefusal } from './refusal.js';
import { forwardHeaders, forwardQuery, inboundScope, splitTarget, type InboundScope } from './inbound-request.js';
import { selectUpstream, type Upstream } from './upstreams.js';
import { decodeInbound } from './inbound-body.js';
import { needsBodyToVerify, type ChunkedVerification, type ClientPrecheck, type ClientVerifier } from './client-auth.js';
import type { ByteBudget } from './byte-budget.js';
import { readBounded } from './upstream-body.js';
import { clientAddressKey } from './client-address.js';
import { sendUpstream, type Agents } from './send-upstream.js';
import type { UpstreamSigner } from './upstream-signer.js';
import { isHealthPath, sendHealth } from './health.js';
import { checkAddressedToProxy } from './host-guard.js';
import { checkPathStaysInBase } from './path-guard.js';

/**
 * What every request shares.
 * @category Proxy
 */
export interface ProxyState {
  readonly options: ResolvedProxyOptions;
  readonly signer: UpstreamSigner;
  readonly agents: Agents;
  /** Set with client keys: every request must verify. */
  readonly verify: ClientVerifier | undefined;
  /** Set with client keys: all but the signature, checked before a body is read to verify it. */
  readonly precheck: ClientPrecheck | undefined;
  /** The bytes of bodies read before their signature is checked, over all requests. */
  readonly unverified: ByteBudget;
}

const ignore = (): void => undefined;

/** Per-request facts for the access log. */
interface LogState {
  readonly started: number;
  path: string;
  service: string | undefined;
  error: string | undefined;
  bytes: { bytes: number };
}

function scopeFor(upstream: Upstream, inbound: InboundScope | undefined, options: ResolvedProxyOptions): { service: string; region: string } {
  const service = upstream.service ?? inbound?.service;
  const region = upstream.region ?? inbound?.region;
  if (service === undefined || region === undefined) {
    throw new ProxyRefusal(400, 'InvalidRequest', `The proxy does not know the ${service === undefined ? 'service' : 'region'} to sign for at ${upstream.origin}: configure it on the upstream (--service/--region), or send a SigV4-signed request whose scope names it.`);
  }
  if (options.allowServices !== undefined && !options.allowServices.has(service)) {
    throw new ProxyRefusal(403, 'AccessDenied', `The proxy does not sign for service "${service}" (allowed: ${[...options.allowServices].join(', ')}).`);
  }
  if (options.allowRegions !== undefined && !options.allowRegions.has(region)) {
    throw new ProxyRefusal(403, 'AccessDenied', `The proxy does not sign for region "${region}" (allowed: ${[...options.allowRegions].join(', ')}).`);
  }
  return { service, region };
}

/**
 * Lets a client that sent `Expect: 100-continue` send its body: only once the request is known to be
 * acceptable, so a refused upload (a bad key, a service not allowed) never transfers its body.
 */
function continueBody(req: IncomingMessage, res: ServerResponse): void {
  if (req.headers.expect?.toLowerCase() === '100-continue' && !res.headersSent && !continued.has(res)) {
    continued.add(res);
    res.writeContinue();
  }
}

const continued = new WeakSet<ServerResponse>();

/**
 * Reads a body that must be hashed before its signature can be checked: only after all else checked out,
 * within the per-request limit (a declared length past it is refused unread), the budget shared by all
 * unverified bodies and this client address's share of it, the idle timeout, and a total time.
 */
async function readToVerify(state: ProxyState, req: IncomingMessage, res: ServerResponse): Promise<Buffer> {
  state.precheck?.(req);
  const { maxBufferedBodyBytes: limit, bodyIdleTimeoutMs: idleMs, unverifiedBodyTimeoutMs: deadlineMs } = state.options;
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    throw new ProxyRefusal(413, 'EntityTooLarge', `The body (${Number(declared)} bytes) is larger than the ${limit} bytes the proxy reads before it checks a signature; raise maxBufferedBodyBytes (--max-buffer), or sign x-amz-content-sha256 so the body can be streamed.`);
  }
  continueBody(req, res);
  const client = clientAddressKey(req.socket.remoteAddress);
  return readBounded(req, { limit, lengthKnown: declared !== undefined, idleMs, deadlineMs, budget: state.unverified, client, keepSource: true });
}

async function serve(state: ProxyState, req: IncomingMessage, res: ServerResponse, log: LogState): Promise<void> {
  const { path, query } = splitTarget(req.url);
  log.path = path;
  checkAddressedToProxy(req, state.options);
  if (isHealthPath(path)) return sendHealth(req, res, state.options, log.bytes);
  const inbound = inboundScope(req.headers, query);
  const upstream = selectUpstream(state.options.upstreams, req.headers.host, inbound?.service);
  const { service, region } = scopeFor(upstream, inbound, state.options);
  log.service = service;
  checkPathStaysInBase(path, upstream, service);
  let verification: ChunkedVerification | undefined;
  let preread: Buffer | undefined;
  if (state.verify !== undefined) {
    // Outside S3 the signature covers the body's hash, which no header states: read the body first.
    if (needsBodyToVerify(req, inbound)) preread = await readToVerify(state, req, res);
    verification = state.verify(req, preread);
  }
  continueBody(req, res);
  const body = decodeInbound(req, verification, preread);
  const forwarded = forwardQuery(query);
  const target = {
    origin: upstream.origin,
    method: req.method ?? 'GET',
    url: `${upstream.origin}${upstream.basePath}${path}${forwarded === '' ? '' : `?${forwarded}`}`,
    headers: forwardHeaders(req.headers),
    region,
    service,
  };
  await sendUpstream(state, upstream, target, body, res, log.bytes);
}

/** The refusal for any error: the proxy's own, a typed signing error (bad input), or anything else. */
function toRefusal(error: unknown): ProxyRefusal {
  if (error instanceof ProxyRefusal) return error;
  // A malformed or tampered aws-chunked body: the decoder says what S3 would answer.
  if (error instanceof ChunkedBodyError) return new ProxyRefusal(error.status, error.awsCode, error.message, { cause: error });
  if (error instanceof AWS4AuthError) return new ProxyRefusal(400, 'InvalidRequest', error.message, { cause: error });
  return new ProxyRefusal(500, 'InternalError', 'The proxy failed to forward the request.', { cause: error });
}

/**
 * Handles one request; never throws (the server's `request` listener).
 * @category Proxy
 */
export function handleRequest(state: ProxyState, req: IncomingMessage, res: ServerResponse): void {
  const log: LogState = { started: monotonicMs(), path: '', service: undefined, error: undefined, bytes: { bytes: 0 } };
  const accessLog = state.options.accessLog;
  if (accessLog !== undefined) {
    res.once('close', () => {
      accessLog({
        method: req.method ?? '',
        path: log.path,
        status: res.headersSent ? res.statusCode : 0,
        bytes: log.bytes.bytes,
        ms: monotonicMs() - log.started,
        service: log.service,
        error: log.error,
      });
    });
  }
  // A client that disconnects mid-body fails whatever reads the body; the request itself must not throw.
  req.on('error', ignore);
  serve(state, req, res, log).catch((error: unknown) => {
    const refusal = toRefusal(error);
    log.error = refusal.awsCode;
    log.bytes.bytes += sendRefusal(res, refusal, log.path);
    // An unread body would otherwise keep the connection (and a decoder) alive; one that stalls is dropped.
    if (!req.complete) drain(req, state.options.bodyIdleTimeoutMs, state.options.unverifiedBodyTimeoutMs);
  });
}

/**
 * Reads and discards the rest of a refused request's body, and closes the connection if it stalls, or
 * if it is still arriving after `totalMs`: a client that trickles a byte per idle period would otherwise
 * keep a refused connection open for ever.
 */
function drain(req: IncomingMessage, idleMs: number, totalMs: number): void {
  req.resume();
  const socket = req.socket;
  if (socket.destroyed) return;
  if (idleMs > 0) socket.setTimeout(idleMs, () => socket.destroy());
  if (totalMs > 0) {
    const timer = setTimeout(() => socket.destroy(), totalMs).unref();
    req.once('end', () => clearTimeout(timer)).once('close', () => clearTimeout(timer));
  }
}

/** A monotonic clock in milliseconds; `process.hrtime` rather than `performance`, whose module costs ~10 ms at import. */
function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
