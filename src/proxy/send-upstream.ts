/**
 * Signs and sends one request to its upstream with the body plan of body-plan.ts, and relays the answer.
 * The body and the answer run side by side (an upstream may answer before the body is done); a failure of
 * the inbound body wins over the upstream's reaction to the destroyed request, since it is the cause.
 *
 * @module
 */
import type { Agent as HttpAgent, ClientRequest, ServerResponse } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { nodeHttp, nodeHttps } from './node-http.js';
import type { AwsCredentialIdentity } from '@smithy/types';
import { UNSIGNED_PAYLOAD } from '../signer/payload-hash.js';
import { AWS4AuthError } from '../signer/errors.js';
import { planBody, type BodyPlan } from './body-plan.js';
import { ProxyRefusal } from './refusal.js';
import type { DecodedInbound } from './inbound-body.js';
import type { ProxyState } from './handler.js';
import { relayResponse, type ByteCount, type RelayPolicy } from './relay.js';
import { readBounded, streamInto } from './upstream-body.js';
import type { UpstreamTarget } from './upstream-signer.js';
import type { Upstream } from './upstreams.js';

const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE']);

/**
 * Keep-alive agents to the upstreams, one per scheme.
 * @category Proxy
 */
export interface Agents {
  readonly http: HttpAgent;
  readonly https: HttpsAgent;
}

/**
 * New keep-alive agents.
 * @category Proxy
 */
export function createAgents(): Agents {
  return { http: new (nodeHttp().Agent)({ keepAlive: true }), https: new (nodeHttps().Agent)({ keepAlive: true }) };
}

function open(state: ProxyState, upstream: Upstream, target: UpstreamTarget, headers: Record<string, string | string[]>): ClientRequest {
  const options = { hostname: upstream.hostname, port: upstream.port, method: target.method, path: target.url.slice(upstream.origin.length), headers };
  return upstream.https ? nodeHttps().request({ ...options, agent: state.agents.https }) : nodeHttp().request({ ...options, agent: state.agents.http });
}

/** How the body goes out for one plan, and the headers signed for each attempt. */
interface Prepared {
  /** The body is in memory (or empty): the request can be sent again. */
  readonly replayable: boolean;
  readonly sign: (identity: AwsCredentialIdentity) => Record<string, string | string[]>;
  readonly send: (request: ClientRequest) => Promise<void>;
}

async function prepare(state: ProxyState, plan: BodyPlan, target: UpstreamTarget, body: DecodedInbound, first: AwsCredentialIdentity): Promise<Prepared> {
  const { signer, options } = state;
  const withLength = (length: number | undefined): UpstreamTarget =>
    length === undefined ? target : { ...target, headers: { ...target.headers, 'content-length': String(length) } };
  switch (plan.kind) {
    case 'empty': {
      // Node sends a body-less PUT or POST chunked unless told its length, and S3 answers that 411.
      const sized = BODYLESS_METHODS.has(target.method) ? target : withLength(0);
      return { replayable: true, sign: (identity) => signer.sign(sized, identity, undefined).headers, send: async (r) => void r.end() };
    }
    case 'buffer': {
      const bytes = await readBounded(body.source, { limit: options.maxBufferedBodyBytes, lengthKnown: body.length !== undefined, idleMs: options.bodyIdleTimeoutMs });
      const sized = withLength(bytes.length);
      return { replayable: true, sign: (identity) => signer.sign(sized, identity, bytes).headers, send: async (r) => void r.end(bytes) };
    }
    case 'hash-stream': {
      const sized = withLength(body.length);
      return { replayable: false, sign: (identity) => signer.sign(sized, identity, undefined, plan.hash).headers, send: (r) => streamInto(r, body.source) };
    }
    case 'unsigned': {
      const sized = withLength(body.length);
      // A decoded aws-chunked body keeps its last byte back until it verified, so the upstream cannot complete early.
      return { replayable: false, sign: (identity) => signer.sign(sized, identity, undefined, UNSIGNED_PAYLOAD).headers, send: (r) => streamInto(r, body.source) };
    }
    case 'chunked': {
      // Signed once, with the first identity: a streamed body is never sent twice.
      const upload = signer.signChunked(target, first, plan.length, options.chunkSize);
      return { replayable: false, sign: () => upload.signed.headers, send: (r) => streamInto(r, body.source, upload.createEncoder(body.digests === undefined ? undefined : body.digests.digestOf.bind(body.digests))) };
    }
  }
}

/** A failure of the upstream connection (refused, reset, DNS, TLS), as the 502 the client gets. */
function upstreamFailure(upstream: Upstream, error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || code === 'ERR_STREAM_PREMATURE_CLOSE') return error;
  return new ProxyRefusal(502, 'BadGateway', `The upstream ${upstream.origin} could not be reached or failed (${code}).`, { cause: error });
}

/** Why an upstream request was cancelled because its client left: logged, never sent (no one is listening). */
const CLIENT_GONE = new ProxyRefusal(499, 'ClientClosedRequest', 'The client closed the connection before the upstream answered; the upstream request was cancelled.');

/**
 * Ties the upstream request to its client: the client leaving before the whole answer was relayed cancels
 * it (and frees its socket), and an upstream that has the whole request but sends no response head within
 * `timeoutMs` is cancelled with 504. Returns the function that unties them.
 */
function bindLifetime(request: ClientRequest, res: ServerResponse, upstream: Upstream, timeoutMs: number): () => void {
  const onClientClose = (): void => {
    if (!res.writableFinished) request.destroy(CLIENT_GONE);
  };
  res.once('close', onClientClose);
  let timer: NodeJS.Timeout | undefined;
  let answered = false;
  const onFinish = (): void => {
    if (answered || timeoutMs === 0) return;
    timer = setTimeout(() => {
      request.destroy(new ProxyRefusal(504, 'GatewayTimeout', `The upstream ${upstream.origin} did not answer within ${timeoutMs} ms of receiving the request (upstreamResponseTimeoutMs); the request was cancelled.`));
    }, timeoutMs);
  };
  const onResponse = (): void => {
    answered = true;
    clearTimeout(timer);
  };
  request.once('finish', onFinish).once('response', onResponse);
  return () => {
    clearTimeout(timer);
    res.off('close', onClientClose);
    request.off('finish', onFinish).off('response', onResponse);
  };
}

/** A refused request's answer that says the credentials it was signed with are no longer good. */
const EXPIRED_CREDENTIALS = /<Code>(ExpiredToken|InvalidToken|TokenRefreshRequired)<\/Code>|"(ExpiredToken|InvalidToken|TokenRefreshRequired)/;

/** When a request whose body is in memory is sent once more: its first answer taught the clock, or said the credentials expired. */
function retryPolicy(state: ProxyState, target: UpstreamTarget, prepared: Prepared, attempt: number, identity: AwsCredentialIdentity): RelayPolicy {
  const retryable = (status: number | undefined): boolean => prepared.replayable && attempt === 0 && (status === 400 || status === 403);
  return {
    decide: (response) => {
      const learned = state.signer.observeDate(target.origin, response.headers.date);
      if (!retryable(response.statusCode)) return 'relay';
      return learned ? 'retry' : 'inspect';
    },
    retryFor: (body) => {
      if (!EXPIRED_CREDENTIALS.test(body)) return false;
      state.signer.invalidate(identity);
      return true;
    },
  };
}

/**
 * Sends the request and relays the response. A request whose body is in memory is sent once more, signed
 * afresh, when its first answer is a 400/403 that taught the signer the upstream's clock (a skewed local
 * clock) or says the credentials expired (they are then fetched again).
 *
 * @throws the inbound body's failure (a {@link ProxyRefusal} or the decoder's typed error), or the
 *   upstream connection's, when no complete response could be relayed
 * @category Proxy
 */
export async function sendUpstream(state: ProxyState, upstream: Upstream, target: UpstreamTarget, body: DecodedInbound, res: ServerResponse, count: ByteCount): Promise<void> {
  const plan = planBody(body, target.service, state.options.upstreamStreaming);
  let pending = state.signer.identity();
  let identity = pending instanceof Promise ? await pending : pending;
  const prepared = await prepare(state, plan, target, body, identity);
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) {
      pending = state.signer.identity();
      identity = pending instanceof Promise ? await pending : pending;
    }
    const request = open(state, upstream, target, prepared.sign(identity));
    const untie = bindLifetime(request, res, upstream, state.options.upstreamResponseTimeoutMs);
    let bodyError: unknown;
    const sending = prepared.send(request).catch((error: unknown) => {
      bodyError ??= error;
      request.destroy();
    });
    let outcome: 'relayed' | 'retry';
    try {
      outcome = await relayResponse(request, res, count, retryPolicy(state, target, prepared, attempt, identity));
    } catch (error) {
      await sending;
      // The inbound body's own failure is the cause; then the proxy's own cancellation; anything else broke on the upstream connection.
      if (bodyError instanceof AWS4AuthError || (bodyError instanceof ProxyRefusal && bodyError !== CLIENT_GONE)) throw bodyError;
      throw error instanceof ProxyRefusal ? error : upstreamFailure(upstream, error);
    } finally {
      untie();
    }
    // The upstream answered before the whole body was sent (an early error): the rest is not needed.
    if (!request.writableFinished) request.destroy();
    if (outcome === 'relayed') return;
  }
}
