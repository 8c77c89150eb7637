/**
 * got's errors carry the failed request whole: `err.options` (its headers and URL, also in
 * `JSON.stringify(err)` and `util.inspect(err)`), `err.request` and `err.response.request` (got's request,
 * with the same options, its `requestUrl` and `redirectUrls`; in got 16 also the options it gave Node),
 * `err.response.url`, and Node's `ClientRequest` (the headers it sent, as a map and as the raw header block,
 * and the request path). got 14.5+ also writes the URL into the message. Services log errors, so the
 * plugin's `beforeError` hook removes every secret from all of these views:
 *
 * - headers whose value is a credential, in any letter case ({@link isSecretHeaderName}: `authorization`,
 *   `proxy-authorization`, the session token, the SSE-C customer keys), are masked;
 * - every other text (header values, URLs, paths, the message, the stack) goes through the project's one
 *   URL redaction (`redactUrl`: presigned `X-Amz-Signature`, `X-Amz-Credential`, `X-Amz-Security-Token`
 *   values and user info), word by word.
 *
 * Only objects got made for this request are changed. The caller's own option objects (got 14 keeps them
 * in `options._init`) are replaced by redacted copies, never changed: a caller may send them again. got
 * calls `beforeError` once the request has failed for good, after its own retries, so masking changes no
 * attempt; a caller who sends `err.options` again has it signed afresh.
 *
 * @internal
 * @module
 */
import { redactUrl } from '../signer/url-redaction.js';
import { existingState } from './request-state.js';

const MASK = '<redacted>';
// A word of text: a URL, a path, a `name=value`; quotes and angle brackets end it (JSON, HTML).
const WORD = /[^\s"'<>]+/g;
// Only a word with one of these can hold a secret parameter value or user info.
const MAY_HOLD_SECRET = /[=@%]/;
const RAW_HEADER_LINE = /^([^:\r\n]+):[^\r\n]*/gm;
const MAX_CAUSES = 8;

type Bag = Record<PropertyKey, unknown>;

function bag(value: unknown): Bag | undefined {
  return value !== null && (typeof value === 'object' || typeof value === 'function') ? (value as Bag) : undefined;
}

/**
 * Whether a header (lower-case name) carries a credential: `authorization` and `proxy-authorization`,
 * tokens (`x-amz-security-token`, S3 Express `x-amz-s3session-token`), and the SSE-C customer keys
 * (`x-amz-server-side-encryption-customer-key`, `x-amz-copy-source-server-side-encryption-customer-key`;
 * their `-md5` digests are not secret).
 *
 * @internal
 */
export function isSecretHeaderName(lower: string): boolean {
  return lower.includes('authorization') || lower.includes('token') || lower.includes('secret') || lower.endsWith('customer-key');
}

/** Text with every presigned-URL secret and URL user info redacted, word by word. @internal */
export function redactText(text: string): string {
  return text.replace(WORD, (word) => (MAY_HOLD_SECRET.test(word) ? redactUrl(word) : word));
}

function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? redactText(item) : item));
  return value;
}

/** Masks a header record in place: credentials by name, URL secrets in every other value. */
function maskHeaderRecord(headers: Bag | undefined): void {
  if (headers === undefined) return;
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    const next = isSecretHeaderName(name.toLowerCase()) ? MASK : redactValue(value);
    if (next !== value && (typeof next === 'string' || JSON.stringify(next) !== JSON.stringify(value))) headers[name] = next;
  }
}

/** Redacts the object's own writable string properties (string and symbol keys). */
function redactOwnStrings(target: Bag | undefined): void {
  if (target === undefined) return;
  for (const key of Reflect.ownKeys(target)) {
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    if (descriptor === undefined || typeof descriptor.value !== 'string' || descriptor.writable !== true) continue;
    const redacted = redactText(descriptor.value);
    if (redacted !== descriptor.value) target[key] = redacted;
  }
}

/** A URL got made for this request (or a list of them), redacted in place. */
function redactUrls(value: unknown): void {
  for (const url of Array.isArray(value) ? value : [value]) {
    if (!(url instanceof URL)) continue;
    const redacted = redactUrl(url.href);
    if (redacted !== url.href) url.href = redacted;
  }
}

/** The raw header block Node wrote: credential lines masked, the request line's URL redacted. */
function maskRawHeaders(block: string): string {
  return redactText(block).replace(RAW_HEADER_LINE, (line, name: string) => (isSecretHeaderName(name.trim().toLowerCase()) ? `${name}: ${MASK}` : line));
}

/** Bytes or text about to be written: a header block in it masked (bytes as latin1, as Node writes headers). */
function maskedChunk(chunk: unknown): unknown {
  if (typeof chunk === 'string') return maskRawHeaders(chunk);
  if (!(chunk instanceof Uint8Array)) return chunk;
  const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
  const masked = maskRawHeaders(text);
  return masked === text ? chunk : Buffer.from(masked, 'latin1');
}

/** A list of pending writes (`{ chunk | data, encoding }`), masked in place. */
function maskPendingWrites(list: unknown): void {
  if (!Array.isArray(list)) return;
  for (const entry of list) {
    const write = bag(entry);
    if (write === undefined) continue;
    if ('chunk' in write) write.chunk = maskedChunk(write.chunk);
    if ('data' in write) write.data = maskedChunk(write.data);
  }
}

/**
 * The socket of a request that never connected (refused, DNS failure, connect timeout) still holds the
 * header block Node wrote to it. Only a destroyed socket is touched: a live one may be carrying another
 * request by now.
 */
function maskDeadSocket(socket: Bag | undefined): void {
  if (socket === undefined || socket.destroyed !== true) return;
  if (socket._pendingData !== undefined && socket._pendingData !== null) {
    socket._pendingData = Array.isArray(socket._pendingData) ? (maskPendingWrites(socket._pendingData), socket._pendingData) : maskedChunk(socket._pendingData);
  }
  maskPendingWrites(bag(socket._writableState)?.buffered);
}

/**
 * Node's ClientRequest (or http2-wrapper's): its raw header block, path, map of outgoing headers
 * (name -> [name, value]), any other header record it keeps under a symbol, the writes it buffered before
 * it had a socket, and a socket that never connected.
 */
function maskClientRequest(request: Bag | undefined): void {
  if (request === undefined) return;
  if (typeof request._header === 'string') request._header = maskRawHeaders(request._header);
  redactOwnStrings(request);
  maskPendingWrites(request.outputData);
  for (const symbol of Object.getOwnPropertySymbols(request)) {
    const record = bag(request[symbol]);
    if (record === undefined || Array.isArray(record)) continue;
    if (symbol.description === 'kOutHeaders') maskOutHeaders(record);
    else if (Object.getPrototypeOf(record) === null || Object.getPrototypeOf(record) === Object.prototype) maskHeaderRecord(record);
  }
  maskDeadSocket(bag(request.socket));
  redactConnectOptions(bag(request.socket));
  maskHttp2Stream(bag(request.socket));
  // http2-wrapper keeps the options it was given (URL parts, headers, the TLS socket it connected first).
  for (const options of [bag(request.options), bag(symbolValue(request, 'options'))]) {
    if (options === undefined || Array.isArray(options)) continue;
    redactOwnStrings(options);
    maskHeaderRecord(bag(options.headers));
    redactConnectOptions(bag(options._reuseSocket));
  }
}

/** The value an object keeps under a symbol with this description. */
function symbolValue(target: Bag | undefined, description: string): unknown {
  if (target === undefined) return undefined;
  const symbol = Object.getOwnPropertySymbols(target).find((s) => s.description === description);
  return symbol === undefined ? undefined : target[symbol];
}

/**
 * An HTTP/2 request's stream (its own, closed with it) keeps the headers it sent, `:path` included; its
 * session's TLS socket keeps the connect options (the URL) of the request that opened it. Those URL texts
 * are read only while connecting, so redacting them changes nothing for the requests sharing the session.
 */
function maskHttp2Stream(stream: Bag | undefined): void {
  if (stream === undefined || symbolValue(stream, 'sent-headers') === undefined) return;
  for (const description of ['sent-headers', 'sent-info-headers', 'sent-trailers']) {
    const record = bag(symbolValue(stream, description));
    if (record !== undefined && !Array.isArray(record)) maskHeaderRecord(record);
  }
  redactConnectOptions(bag(symbolValue(bag(stream.session), 'socket')));
}

/**
 * A connection's connect options (Node's TLS socket, http2-wrapper's session socket) are the options of the
 * request that opened it, its URL and headers included, kept for the connection's life: a pooled connection
 * shows them to every later request's error. They are read only while connecting, so a connected socket's
 * are redacted; the headers are replaced by a masked copy, since the record may still be a live request's.
 */
function redactConnectOptions(socket: Bag | undefined): void {
  if (socket === undefined || socket.connecting === true) return;
  const options = bag(symbolValue(socket, 'connect-options'));
  if (options === undefined || Array.isArray(options)) return;
  redactOwnStrings(options);
  const headers = bag(options.headers);
  if (headers === undefined || Array.isArray(headers)) return;
  const masked: Bag = { ...headers };
  maskHeaderRecord(masked);
  if (Object.keys(masked).some((name) => masked[name] !== headers[name])) options.headers = masked;
}

/** Each item of a pool: a record or a Map (http2-wrapper 2.2+) of lists, or of Sets, of items. */
function pooled(pool: unknown): Bag[] {
  const record = bag(pool);
  if (record === undefined) return [];
  const lists = pool instanceof Map ? [...pool.values()] : Object.values(record);
  return lists.flatMap((list) => (Array.isArray(list) || list instanceof Set ? [...(list as Iterable<unknown>)].map(bag).filter((item) => item !== undefined) : []));
}

/**
 * Every connection of an agent the request used: Node's (`sockets`, `freeSockets`) or http2-wrapper's
 * (`sessions`). Agents are shared, so their connections were opened by other requests, earlier ones too.
 */
function redactAgentConnections(agent: Bag | undefined, seen: Set<Bag>): void {
  if (agent === undefined || seen.has(agent)) return;
  seen.add(agent);
  for (const socket of [...pooled(agent.sockets), ...pooled(agent.freeSockets)]) redactConnectOptions(socket);
  for (const session of pooled(agent.sessions)) redactConnectOptions(bag(symbolValue(session, 'socket')));
}

/** The agents of got's options (`{ http, https, http2 }`) and of the requests Node or http2-wrapper made. */
function redactAgents(view: Bag): void {
  const seen = new Set<Bag>();
  const options = bag(bag(view.options)?.agent);
  for (const agent of [options?.http, options?.https, options?.http2]) redactAgentConnections(bag(agent), seen);
  const requests = [bag(bag(view.request)?._request), bag(bag(view.response)?.req)];
  for (const request of requests) redactAgentConnections(bag(request?.agent), seen);
}

/** Node's map of outgoing headers: lower-case name -> [name as given, value]. */
function maskOutHeaders(out: Bag): void {
  for (const name of Object.keys(out)) {
    const entry = out[name];
    if (!Array.isArray(entry) || entry.length !== 2) continue;
    entry[1] = isSecretHeaderName(name) ? MASK : redactValue(entry[1]);
  }
}

/** Whether `name=value` would show a presigned-URL secret. */
function secretParameter(name: string, value: string): boolean {
  return redactUrl(`?${name}=${value}`) !== `?${name}=${value}`;
}

/** got's search parameters, redacted in place. */
function redactSearchParams(params: unknown): void {
  if (!(params instanceof URLSearchParams)) return;
  for (const [name, value] of [...params]) if (secretParameter(name, value)) params.set(name, MASK);
}

/** A redacted copy of one of the caller's option values: a URL, search parameters, headers. */
function redactedOption(value: unknown, isHeaders: boolean): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value instanceof URL || value instanceof URLSearchParams) return redactText(value.toString());
  const record = bag(value);
  if (record === undefined || Array.isArray(record) || typeof record === 'function') return value;
  const copy: Bag = { ...record };
  if (isHeaders) maskHeaderRecord(copy);
  else for (const [name, item] of Object.entries(copy)) if (typeof item === 'string' && secretParameter(name, item)) copy[name] = MASK;
  return copy;
}

/** A redacted copy of one of the caller's option objects; the caller's object is untouched. */
function redactedInit(init: unknown): unknown {
  const source = bag(init);
  if (source === undefined || Array.isArray(source)) return init;
  const copy: Bag = { ...source };
  for (const key of ['headers', 'url', 'prefixUrl', 'searchParams']) {
    if (copy[key] !== undefined) copy[key] = redactedOption(copy[key], key === 'headers');
  }
  return copy;
}

/** got's options: headers, URL, the plugin's request state, and (got 14) the caller's option objects. */
function maskGotOptions(options: Bag | undefined): void {
  if (options === undefined) return;
  maskHeaderRecord(bag(options.headers));
  redactUrls(options.url);
  redactSearchParams(options.searchParams);
  const state = existingState(options as { context?: unknown });
  if (state?.lastUrl !== undefined) state.lastUrl = redactUrl(state.lastUrl);
  if (Array.isArray(options._init)) options._init = options._init.map(redactedInit);
}

/**
 * got's request: its options, URLs, whatever else of its own holds a `headers` record (got 16 keeps the
 * options it handed to Node as `_requestOptions`), and Node's ClientRequest.
 */
function maskGotRequest(request: Bag | undefined, seen: Set<Bag>): void {
  if (request === undefined || seen.has(request)) return;
  seen.add(request);
  maskGotOptions(bag(request.options));
  redactUrls(request.requestUrl);
  redactUrls(request.redirectUrls);
  for (const key of Object.keys(request)) {
    const value = bag(request[key]);
    if (value === undefined || Array.isArray(value)) continue;
    maskHeaderRecord(bag(value.headers));
    if (key === '_requestOptions') redactOwnStrings(value);
  }
  maskClientRequest(bag(request._request));
}

/** Node's raw header list, `[name, value, name, value, ...]`, masked in place. */
function maskRawHeaderList(list: unknown): void {
  if (!Array.isArray(list)) return;
  for (let index = 1; index < list.length; index += 2) {
    const name = list[index - 1];
    if (typeof name === 'string' && typeof list[index] === 'string') list[index] = isSecretHeaderName(name.toLowerCase()) ? MASK : redactText(list[index] as string);
  }
}

/**
 * got's response: its URLs and headers (a redirect's `location` may be a presigned URL), its request, and
 * Node's ClientRequest.
 */
function maskResponse(response: Bag | undefined, seen: Set<Bag>): void {
  if (response === undefined) return;
  redactOwnStrings(response);
  maskHeaderRecord(bag(response.headers));
  maskRawHeaderList(response.rawHeaders);
  redactUrls(response.requestUrl);
  redactUrls(response.redirectUrls);
  maskGotRequest(bag(response.request), seen);
  maskClientRequest(bag(response.req));
  redactConnectOptions(bag(response.socket));
  redactConnectOptions(bag(symbolValue(bag(response.socket), 'socket')));
  maskHttp2Stream(bag(response.stream));
}

/** The message and stack of the error and of its causes (got 14.5+ writes the URL into the message). */
function redactErrorTexts(error: Bag): void {
  let current: Bag | undefined = error;
  for (let depth = 0; current !== undefined && depth < MAX_CAUSES; depth++) {
    redactOwnStrings(current);
    const stack = Object.getOwnPropertyDescriptor(current, 'stack');
    // V8 may keep the stack behind an accessor: read it once and keep the redacted text instead.
    if (stack !== undefined && !('value' in stack) && typeof current.stack === 'string') {
      Object.defineProperty(current, 'stack', { value: redactText(current.stack), writable: true, configurable: true, enumerable: false });
    }
    current = bag(current.cause);
  }
}

/**
 * The plugin's `beforeError` hook: removes the secrets of a request from every view of its error.
 *
 * @internal
 */
export function redactGotError<T extends Error>(error: T): T {
  const view = error as unknown as Bag;
  const seen = new Set<Bag>();
  // Each view separately: one that cannot be read (a getter that throws) must not keep the others unmasked.
  const steps = [
    () => redactErrorTexts(view),
    () => maskGotOptions(bag(view.options)),
    () => maskGotRequest(bag(view.request), seen),
    () => maskResponse(bag(view.response), seen),
    () => redactAgents(view),
  ];
  for (const step of steps) {
    try {
      step();
    } catch {
      // The error itself must still surface.
    }
  }
  return error;
}

/** The plugin's own credentials among got's headers, in any letter case: every attempt signs afresh. */
function removePluginCredentials(options: Bag | undefined): void {
  const headers = bag(options?.headers);
  if (headers === undefined) return;
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization' || lower === 'x-amz-security-token') delete headers[name];
  }
}

/** `err.options` stays what it is (a caller's hook may change the next attempt through it), but unlisted. */
function unlistOptions(view: Bag): void {
  const descriptor = Object.getOwnPropertyDescriptor(view, 'options');
  if (descriptor?.enumerable === true && 'value' in descriptor) Object.defineProperty(view, 'options', { ...descriptor, enumerable: false });
}

/**
 * Node's own request of a failed HTTP/1.1 attempt: its header block and header map. Both are Node's (the
 * map's entries are arrays Node made), so replacing their values changes nothing the next attempt uses.
 */
function maskNodeRequestHead(request: Bag | undefined): void {
  if (request === undefined) return;
  if (typeof request._header === 'string') request._header = maskRawHeaders(request._header);
  const out = bag(symbolValue(request, 'kOutHeaders'));
  if (out !== undefined && !Array.isArray(out)) maskOutHeaders(out);
}

/**
 * The plugin's `beforeRetry` hook. got hands a failed attempt's error to later `beforeRetry` hooks, to its
 * `retry` event and to its retry diagnostics channel, then builds the next attempt from the same options,
 * and (got 14) from objects they share: the URL, the headers, http2-wrapper's request options. Nothing those
 * hold is changed: the plugin's own credentials leave the headers (the next attempt is signed afresh),
 * `err.options` is no longer an enumerable field (`JSON.stringify`, `util.inspect`), and only what is the
 * failed attempt's alone is redacted: the error's texts, and Node's header block and map. The caller's URL
 * and secret headers stay as they are, for the retry; {@link redactGotError} masks them once the request has
 * failed for good.
 *
 * @internal
 */
export function redactRetryError(error: Error): void {
  const view = error as unknown as Bag;
  const steps = [
    () => redactErrorTexts(view),
    () => removePluginCredentials(bag(view.options)),
    () => unlistOptions(view),
    () => maskNodeRequestHead(bag(bag(view.request)?._request)),
  ];
  for (const step of steps) {
    try {
      step();
    } catch {
      // The retry must still happen.
    }
  }
}
