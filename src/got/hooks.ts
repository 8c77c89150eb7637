/**
 * The got plugin: hooks that sign every attempt of a request with SigV4 (or SigV4a).
 *
 * got runs `beforeRequest` for the first attempt, every retry, every followed redirect and every page, each
 * time on a copy of the previous attempt's options that still carries the headers signed last time. So each
 * run strips every signing header (in any letter case) and signs afresh, with the credentials, clock offset
 * and body of that attempt. The steps are units of their own: configuration (`config.ts`), which hops are
 * signed (`origin-trust.ts`), the scope (`scope.ts`), the body (`body-plan.ts`), credentials
 * (`credentials.ts`), signing (`sign-attempt.ts`), what a response may change (`response-handlers.ts`),
 * the secrets masked in got's errors (`redact-error.ts`) and the pages of `got.paginate` (`pagination.ts`).
 *
 * @module
 */
import type { ClockSkew } from './clock-skew.js';
import { OriginClocks } from './origin-clocks.js';
import { pluginConfig, type PluginConfig } from './config.js';
import { CredentialSource } from './credentials.js';
import { scanGotHeaders, writeSignedHeaders } from './got-headers.js';
import { stateOf } from './request-state.js';
import { admitAttempt, attemptUrl, createRedirectHook, disambiguatePlus } from './origin-trust.js';
import { ScopeResolver } from './scope.js';
import { planBody } from './body-plan.js';
import { attemptSettings, signAttempt, type AttemptSettings } from './sign-attempt.js';
import { reportSigned, reportWanted } from './report.js';
import { createResponseHandler, restoreResponseHook } from './response-handlers.js';
import { redactGotError, redactRetryError } from './redact-error.js';
import { wrapPagination } from './pagination.js';
import type { Aws4GotPlugin, Aws4HooksOptions, ResponseHook, SigningHook } from './types.js';

/**
 * Creates the got plugin with explicit options. Pass it to `got.extend`, last, so that no hook of yours
 * changes a signed request after it is signed.
 *
 * @param options - region, service, credentials and signing choices; all optional
 * @returns an object got's `extend` accepts
 *
 * @example
 * ```ts
 * import got from 'got';
 * import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
 * import { createAws4Hooks } from 'got-aws4auth';
 *
 * const search = got.extend(
 *   { prefixUrl: 'https://search-logs-abc.eu-west-1.es.amazonaws.com' },
 *   createAws4Hooks({
 *     region: 'eu-west-1',
 *     service: 'es',
 *     credentials: fromTemporaryCredentials({ params: { RoleArn: 'arn:aws:iam::123456789012:role/search' } }),
 *   }),
 * );
 * const indices = await search.get('_cat/indices').text();
 * ```
 * @category Plugin
 */
export function createAws4Hooks(options?: Aws4HooksOptions): Aws4GotPlugin {
  const config = pluginConfig(options);
  const clocks = new OriginClocks(config.clock);
  const credentials = new CredentialSource(config);
  const afterResponse = createResponseHandler({ correctClockSkew: config.correctClockSkew, credentials });
  const sign = createSigningHook(config, clocks, credentials, afterResponse);
  return {
    hooks: {
      beforeRequest: [sign],
      beforeRedirect: [createRedirectHook(config.allowedOrigins)],
      afterResponse: [afterResponse],
      beforeRetry: [redactRetryError],
      beforeError: [redactGotError],
      init: [wrapPagination],
    },
  };
}

/** The date policy's inputs for each origin's clock, built on its first use (a forgotten clock's go with it). */
function perClockSettings(config: PluginConfig): (skew: ClockSkew) => AttemptSettings {
  const settingsOf = new WeakMap<ClockSkew, AttemptSettings>();
  let lastSkew: ClockSkew | undefined;
  let lastSettings: AttemptSettings | undefined;
  return (skew) => {
    // Most clients sign for one origin: its settings are answered without a lookup.
    if (skew === lastSkew) return lastSettings as AttemptSettings;
    let settings = settingsOf.get(skew);
    if (settings === undefined) {
      settings = attemptSettings(config.fixed, config.datePolicy, config.raiseInvalidDate, skew.now.bind(skew));
      settingsOf.set(skew, settings);
    }
    lastSkew = skew;
    lastSettings = settings;
    return settings;
  };
}

function createSigningHook(config: PluginConfig, clocks: OriginClocks, credentials: CredentialSource, afterResponse: ResponseHook): SigningHook {
  const scopes = new ScopeResolver(config);
  const settingsFor = perClockSettings(config);
  // Each await lets other work run before the request goes out: the steps with nothing to wait for are not awaited.
  return async (got) => {
    const url = attemptUrl(got.url);
    // URL getters build a new string on every read: each is read once.
    const origin = url.origin;
    const scan = scanGotHeaders(got.headers);
    const state = stateOf(got, origin, scan.amzDate, scan.payloadHash);
    if (state.skewRetried || state.tokenRetried) restoreResponseHook(got, afterResponse);
    if (!admitAttempt(state, origin, url.href, config.allowedOrigins, got)) return;
    const href = disambiguatePlus(url, state.lastUrl as string);
    state.lastUrl = href;
    const scopeOrWait = scopes.scopeFor(url.host);
    const scope = scopeOrWait instanceof Promise ? await scopeOrWait : scopeOrWait;
    const method = got.method.toUpperCase();
    const planOrWait = planBody(got, scan, state, config, scope, method);
    const plan = planOrWait instanceof Promise ? await planOrWait : planOrWait;
    const identityOrWait = credentials.identityFor(got);
    const identity = identityOrWait instanceof Promise ? await identityOrWait : identityOrWait;
    state.identity = identity;
    if (state.callerAmzDate !== undefined) scan.headers['x-amz-date'] = state.callerAmzDate;
    // Signed with this origin's clock; its answer teaches that clock only.
    const skew = clocks.for(origin);
    state.clock = skew;
    const { signed, body } = signAttempt(settingsFor(skew), { method, url: href, headers: scan.headers, identity, scope, plan });
    if (body !== undefined) got.body = body;
    if (reportWanted(config.onSigned)) reportSigned(config.onSigned, { method, origin, scope, bodyMode: plan.mode, identity, signed });
    writeSignedHeaders(got.headers, signed.headers, scan.lowerCase, scan.hasTransferEncoding);
    state.lastSigned = true;
  };
}
