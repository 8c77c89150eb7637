/**
 * got's errors carry the failed request whole: `err.options.headers` (also in `JSON.stringify(err)` and
 * `util.inspect(err)`), `err.request` and `err.response.request` (got's request, with the same options, in
 * got 16 also the options it gave Node, and Node's `ClientRequest`, which keeps the headers it sent, as a map
 * and as the raw header block). Services log
 * errors, so the plugin's `beforeError` hook masks the `authorization` header (signature and access key
 * scope) and the session token in every one of these views. got calls `beforeError` once the request has
 * failed for good, after its own retries, so masking the failed request's headers changes no attempt; a
 * caller who sends `err.options` again has it signed afresh.
 *
 * @internal
 * @module
 */
import { existingState } from './request-state.js';

const MASK = '<redacted>';
const SECRET_HEADERS = ['authorization', 'x-amz-security-token'] as const;
const SECRET_LINES = /^(authorization|x-amz-security-token)[ \t]*:[^\r\n]*/gim;

type Bag = Record<PropertyKey, unknown>;

function bag(value: unknown): Bag | undefined {
  return value !== null && (typeof value === 'object' || typeof value === 'function') ? (value as Bag) : undefined;
}

function maskHeaderRecord(headers: Bag | undefined): void {
  if (headers === undefined) return;
  for (const name of Object.keys(headers)) {
    if ((SECRET_HEADERS as readonly string[]).includes(name.toLowerCase()) && headers[name] !== undefined) headers[name] = MASK;
  }
}

/** Node's ClientRequest: the raw header block it wrote, and its map of outgoing headers (name -> [name, value]). */
function maskClientRequest(request: Bag | undefined): void {
  if (request === undefined) return;
  if (typeof request._header === 'string') request._header = request._header.replace(SECRET_LINES, `$1: ${MASK}`);
  const symbol = Object.getOwnPropertySymbols(request).find((s) => s.description === 'kOutHeaders');
  const out = symbol === undefined ? undefined : bag(request[symbol]);
  if (out === undefined) return;
  for (const name of SECRET_HEADERS) {
    const entry = out[name];
    if (Array.isArray(entry) && entry.length === 2) entry[1] = MASK;
  }
}

/**
 * got's request: its options, and whatever else of its own holds a `headers` record (got 16 keeps the
 * options it handed to Node as `_requestOptions`; got 14 does not), and Node's ClientRequest.
 */
function maskGotRequest(request: Bag | undefined): void {
  if (request === undefined) return;
  maskHeaderRecord(bag(bag(request.options)?.headers));
  for (const key of Object.keys(request)) {
    const value = bag(request[key]);
    if (value !== undefined && !Array.isArray(value)) maskHeaderRecord(bag(value.headers));
  }
  maskClientRequest(bag(request._request));
}

/**
 * The plugin's `beforeError` hook: masks the secrets of a signed request in every view of the error.
 *
 * @internal
 */
export function redactGotError<T extends Error>(error: T): T {
  try {
    const view = error as unknown as Bag;
    const options = bag(view.options);
    if (existingState(options as { context?: unknown } | undefined) === undefined) return error;
    maskHeaderRecord(bag(options?.headers));
    maskGotRequest(bag(view.request));
    const response = bag(view.response);
    maskGotRequest(bag(response?.request));
    maskClientRequest(bag(response?.req));
  } catch {
    // A view that cannot be read (a getter that throws) is left as it is: the error itself must still surface.
  }
  return error;
}
