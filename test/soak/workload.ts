/**
 * The soak workload, shared by the on-demand full run (`soak.ts`) and its CI variant (`soak-ci.test.ts`):
 * many concurrent workers put, get, head, list and delete objects with awkward keys on a real
 * SigV4-verifying server (Ceph RGW) through `got.extend(aws4Hooks(…))`, while the plugin's credential cache
 * rotates AssumeRole credentials from RGW's own STS underneath them.
 *
 * **How credentials are made to rotate.** RGW's STS issues credentials for at least 900 s, so the provider
 * is wrapped to report an earlier `expiration` (`lifetimeMs` after it was obtained), as
 * docs/examples/long-running-service.ts does; the cache then refreshes halfway through that lifetime. Every
 * clock stays real: the cache, the signer and RGW all read the same time. The alternative, a fake clock for
 * the cache only, would rotate on command, but then "expired" would mean expired on a made-up timeline, and
 * the thing worth watching (a background STS call racing 50 in-flight requests in real time) would not
 * happen. With the wrapper, "signed with expired credentials" is checked against the reported expiry,
 * which is stricter than the real 900 s RGW enforces: a request counts as stale if the time its signature
 * was made (the plugin's signing clock, read by the signer) is not before the reported expiry of the access
 * key in its `Authorization` header.
 *
 * **What is counted.** Every attempt got sends is seen by a `beforeRequest` hook placed after the plugin's
 * (it only reads): its access key, signing time, and whether it carried a signature at all. Every STS call
 * is counted on the wire by a pass-through fault proxy in front of RGW's STS, and every provider call by the
 * wrapper; `onRefresh` counts rotations. Every response status is tallied per operation against the one
 * expected (PUT 200, GET 200, HEAD 200, LIST 200, DELETE 204, GET after DELETE 404); every byte read back
 * is compared with what was written.
 *
 * The run lasts until at least `requests` requests have been made *and* at least `rotations` rotations
 * have happened (or `maxDurationMs` passed), so a faster or slower machine changes the duration, not the
 * guarantees.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import got, { type Got } from 'got';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { aws4Hooks, CredentialCache } from '../../src/index.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { uniqueBucketName, type RgwServer } from '../helpers/rgw.js';

export interface SoakOptions {
  /** At least this many requests. */
  readonly requests: number;
  /** Workers running at once (each one request at a time). */
  readonly concurrency: number;
  /** At least this many rotations (credential changes after the first fetch). */
  readonly rotations: number;
  /** The lifetime the wrapped provider reports; the cache refreshes after half of it. */
  readonly lifetimeMs: number;
  /** Stop starting new cycles after this long even if the targets are not met (they are then reported unmet). */
  readonly maxDurationMs?: number;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

/** One status tally: `{ PUT: { '200': 1700 }, ... }`. */
export type StatusTally = Record<string, Record<string, number>>;

export interface SoakSummary {
  readonly startedAt: string;
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly totalMemoryMiB: number; readonly node: string; readonly platform: string; readonly loadAverageAtStart: number[]; readonly loadAverageAtEnd: number[] };
  readonly load: { readonly targetRequests: number; readonly concurrency: number; readonly targetRotations: number; readonly reportedLifetimeMs: number };
  readonly durationSeconds: number;
  readonly requests: number;
  /** Requests that were sent (attempts seen by the recording hook); equals `requests` when nothing was retried. */
  readonly attempts: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number; readonly mean: number };
  readonly statuses: StatusTally;
  /** Every status that was not the one expected for its operation, with counts, e.g. `{ 'GET 403': 2 }`. */
  readonly unexpectedStatuses: Record<string, number>;
  /** 403s: what RGW answers a bad signature, token or time. */
  readonly signatureRejections: number;
  /** Requests that threw (no HTTP answer), by error code. */
  readonly errors: Record<string, number>;
  /** GETs whose bytes differ from those PUT, and LISTs that did not return exactly the key just written. */
  readonly contentMismatches: number;
  readonly credentials: {
    readonly rotations: number;
    readonly providerCalls: number;
    /** AssumeRole requests RGW's STS received (counted on the wire). */
    readonly stsCalls: number;
    readonly refreshErrors: number;
    readonly distinctAccessKeys: number;
    /** Provider calls per rotation (first fetch excluded on both sides): 1 when there is exactly one call per rotation. */
    readonly providerCallsPerRotation: number;
    /** Attempts signed at or after the reported expiry of their access key. */
    readonly signedWithExpiredCredentials: number;
    /** Attempts signed at or after the real (STS) expiry of their access key. */
    readonly signedAfterRealExpiry: number;
    /** Attempts without an `Authorization` header, signed with an access key no provider call returned, or not reported by `onSigned`. */
    readonly missingOrUnknownSignature: number;
    /** Attempts signed with the old, still valid credentials while a refresh was under way (refresh ahead at work). */
    readonly signedDuringRefresh: number;
    /** Rotations whose new credentials arrived after the old ones' reported expiry: requests then waited for the STS call. */
    readonly rotationsAfterExpiry: number;
    /** The longest such wait: from the old credentials' reported expiry to the new ones' arrival, in ms. */
    readonly longestGapWithoutCredentialsMs: number;
    /** Attempts signed less than a second before the reported expiry of their credentials. */
    readonly signedInLastSecond: number;
    /** Smallest margin between signing and the reported expiry, in ms (negative would be a stale signature). */
    readonly minMarginToExpiryMs: number;
    /** How long each STS call took, ms. */
    readonly stsCallMs: { readonly p50: number; readonly max: number };
  };
  readonly memory: { readonly peakRssMiB: number; readonly rssAtStartMiB: number; readonly rssAtEndMiB: number };
  /** Whether every target and invariant held. */
  readonly ok: boolean;
  /** Why not, when `ok` is false. */
  readonly failures: string[];
}

/**
 * Keys that need encoding in every way an S3 path can: space (also at the end), plus, equals and
 * ampersand, a percent sign that is not an escape, sub-delims and quotes, brackets and other characters
 * URLs must escape, unicode in several scripts, an empty path segment.
 */
const ODD_KEYS = [
  'a+b=c&d e',
  'trailing space ',
  '%zz is not an escape, 50%',
  "quote's (paren) *star! ;semi:colon@at,comma$",
  'brackets [x] {y} <z> ^ ` | \\ "q"',
  '日本語/キー/ключ/مفتاح',
  'emoji 🙂 + ü',
  'empty//segment',
];

/** SigV4's encoding of each path segment (no segment here is `.` or `..`). */
function keyPath(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

function xmlKeys(xml: string): string[] {
  return [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) =>
    (m[1] ?? '').replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (_, e: string) =>
      e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e.toLowerCase()] ?? '',
    ),
  );
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;
const mib = (bytes: number): number => round(bytes / 1024 / 1024);

interface IdentityRecord {
  readonly reportedExpiry: number;
  readonly realExpiry: number;
}

type Op = 'PUT' | 'GET' | 'HEAD' | 'LIST' | 'DELETE' | 'GET-deleted';
const EXPECTED: Record<Op, number> = { PUT: 200, GET: 200, HEAD: 200, LIST: 200, DELETE: 204, 'GET-deleted': 404 };

/** Runs the soak against `rgw` and returns what was measured. It never throws for a failed invariant: see `ok`. */
export async function runSoak(rgw: RgwServer, options: SoakOptions): Promise<SoakSummary> {
  const log = options.log ?? (() => {});
  const maxDurationMs = options.maxDurationMs ?? Number.POSITIVE_INFINITY;
  const startedAt = new Date();
  const loadAverageAtStart = os.loadavg().map((v) => round(v, 2));
  const rssAtStart = process.memoryUsage().rss;
  let peakRss = rssAtStart;
  const rssSampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  rssSampler.unref();

  const userCredentials: AwsCredentialIdentity = { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey };
  // STS goes through a pass-through proxy that records each call; S3 goes straight to RGW.
  const stsProxy = await startFaultProxy(rgw.endpoint);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const admin = got.extend(
    { throwHttpErrors: false, retry: { limit: 0 }, timeout: { request: 30_000 }, agent: { http: agent } },
    aws4Hooks({ region: rgw.region, service: 's3', credentials: userCredentials }),
  );
  const bucket = uniqueBucketName('soak');

  try {
    const created = await admin.put(`${rgw.endpoint}/${bucket}`);
    if (created.statusCode !== 200) throw new Error(`could not create bucket ${bucket}: ${created.statusCode} ${created.body}`);

    // --- credentials: AssumeRole through the real SDK provider, expiry reported early --------------------
    const assumeRole = fromTemporaryCredentials({
      params: { RoleArn: rgw.roleArn, RoleSessionName: 'soak', DurationSeconds: 900 },
      masterCredentials: userCredentials,
      clientConfig: { region: rgw.region, endpoint: stsProxy.origin, maxAttempts: 1 },
    });
    const identities = new Map<string, IdentityRecord>();
    let providerCalls = 0;
    let refreshing = false;
    let lastReportedExpiry: number | undefined;
    let rotationsAfterExpiry = 0;
    let longestGap = 0;
    const stsCallMs: number[] = [];
    const provider: AwsCredentialIdentityProvider = async (properties) => {
      providerCalls += 1;
      refreshing = true;
      const began = performance.now();
      try {
        const identity = await assumeRole(properties);
        stsCallMs.push(performance.now() - began);
        const now = Date.now();
        if (lastReportedExpiry !== undefined && now >= lastReportedExpiry) {
          rotationsAfterExpiry += 1;
          longestGap = Math.max(longestGap, now - lastReportedExpiry);
        }
        const realExpiry = identity.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
        const reportedExpiry = Math.min(realExpiry, now + options.lifetimeMs);
        lastReportedExpiry = reportedExpiry;
        identities.set(identity.accessKeyId, { reportedExpiry, realExpiry });
        return { ...identity, expiration: new Date(reportedExpiry) };
      } finally {
        refreshing = false;
      }
    };
    let requests = 0;
    let refreshes = 0;
    let refreshErrors = 0;
    const cache = new CredentialCache(provider, {
      timeoutMs: 10_000,
      onRefresh: (info) => {
        refreshes += 1;
        if (refreshes % 5 === 1 || refreshes <= 2) log(`rotation ${refreshes - 1}: ${info.accessKeyId.slice(0, 10)}… after ${requests} requests`);
      },
      onRefreshError: (error) => {
        refreshErrors += 1;
        log(`refresh failed: ${error.code} ${error.message}`);
      },
    });

    // --- what every attempt was signed with ------------------------------------------------------------
    let attempts = 0;
    let signings = 0;
    let stale = 0;
    let staleReal = 0;
    let missing = 0;
    let duringRefresh = 0;
    let minMargin = Number.POSITIVE_INFINITY;
    let lastSecond = 0;
    const staleExamples: string[] = [];
    // The exact time each signature was made: the plugin's signing clock records each reading, `onSigned`
    // (called synchronously right after signing) files the last one under the request's own `x-soak-id`
    // header, which is signed and so appears in the canonical request.
    let lastClockReading = 0;
    const signingClock = (): number => (lastClockReading = Date.now());
    const signedAtById = new Map<string, number>();
    let nextId = 0;
    const tag = (gotOptions: { headers: Record<string, unknown> }): void => {
      gotOptions.headers['x-soak-id'] ??= String(++nextId);
    };
    const onSigned = ({ canonicalRequest }: { canonicalRequest: string }): void => {
      signings += 1;
      const id = /\nx-soak-id:(\d+)\n/.exec(canonicalRequest)?.[1];
      if (id !== undefined) signedAtById.set(id, lastClockReading);
    };
    const record = (gotOptions: { headers: Record<string, unknown> }): void => {
      const id = String(gotOptions.headers['x-soak-id']);
      const signedAt = signedAtById.get(id);
      signedAtById.delete(id);
      attempts += 1;
      const authorization = gotOptions.headers.authorization;
      const accessKeyId = typeof authorization === 'string' ? /Credential=([^/]+)\//.exec(authorization)?.[1] : undefined;
      const identity = accessKeyId === undefined ? undefined : identities.get(accessKeyId);
      if (identity === undefined || signedAt === undefined) {
        missing += 1;
        return;
      }
      minMargin = Math.min(minMargin, identity.reportedExpiry - signedAt);
      if (signedAt >= identity.reportedExpiry) {
        stale += 1;
        if (staleExamples.length < 5) staleExamples.push(`${accessKeyId} signed ${signedAt - identity.reportedExpiry} ms after its reported expiry`);
      }
      if (signedAt >= identity.realExpiry) staleReal += 1;
      if (identity.reportedExpiry - signedAt < 1_000) lastSecond += 1;
      if (refreshing) duringRefresh += 1;
    };
    const s3: Got = got.extend(
      { throwHttpErrors: false, retry: { limit: 0 }, timeout: { request: 30_000 }, agent: { http: agent } },
      { hooks: { beforeRequest: [tag as never] } },
      aws4Hooks({ region: rgw.region, service: 's3', credentials: cache, clock: signingClock, onSigned }),
      { hooks: { beforeRequest: [record as never] } },
    );

    // --- the workers ---------------------------------------------------------------------------------
    const statuses: StatusTally = {};
    const unexpected: Record<string, number> = {};
    const errors: Record<string, number> = {};
    let contentMismatches = 0;
    let latencies = new Float64Array(Math.max(1024, Math.ceil(options.requests * 1.2)));
    const began = performance.now();
    const targetsMet = (): boolean => requests >= options.requests && refreshes - 1 >= options.rotations;
    const outOfTime = (): boolean => performance.now() - began > maxDurationMs;

    async function timed<T extends { statusCode: number }>(op: Op, send: () => Promise<T>): Promise<T | undefined> {
      const t0 = performance.now();
      let response: T;
      try {
        response = await send();
      } catch (error) {
        const code = (error as { code?: string }).code ?? (error as Error).name;
        errors[`${op} ${code}`] = (errors[`${op} ${code}`] ?? 0) + 1;
        return undefined;
      } finally {
        if (requests >= latencies.length) {
          const grown = new Float64Array(latencies.length * 2);
          grown.set(latencies);
          latencies = grown;
        }
        latencies[requests] = performance.now() - t0;
        requests += 1;
      }
      const byOp = (statuses[op] ??= {});
      byOp[response.statusCode] = (byOp[response.statusCode] ?? 0) + 1;
      if (response.statusCode !== EXPECTED[op]) unexpected[`${op} ${response.statusCode}`] = (unexpected[`${op} ${response.statusCode}`] ?? 0) + 1;
      return response;
    }

    async function worker(id: number): Promise<void> {
      for (let cycle = 0; !targetsMet() && !outOfTime(); cycle++) {
        const key = `w${id}/${ODD_KEYS[(id + cycle) % ODD_KEYS.length]} ${cycle}`;
        const url = `${rgw.endpoint}/${bucket}/${keyPath(key)}`;
        const content = randomBytes((id * 7919 + cycle * 104_729) % 8192);
        await timed('PUT', () => s3.put(url, { body: content }));
        const got_ = await timed('GET', () => s3.get(url, { responseType: 'buffer' }));
        if (got_ !== undefined && got_.statusCode === 200 && !Buffer.from(got_.body).equals(content)) contentMismatches += 1;
        const head = await timed('HEAD', () => s3.head(url));
        if (head !== undefined && head.statusCode === 200 && head.headers['content-length'] !== String(content.length)) contentMismatches += 1;
        const list = await timed('LIST', () => s3.get(`${rgw.endpoint}/${bucket}`, { searchParams: { 'list-type': 2, prefix: key, 'max-keys': 5 } }));
        if (list !== undefined && list.statusCode === 200 && JSON.stringify(xmlKeys(list.body)) !== JSON.stringify([key])) contentMismatches += 1;
        await timed('DELETE', () => s3.delete(url));
        await timed('GET-deleted', () => s3.get(url));
      }
    }

    log(`soak: ${options.requests}+ requests, ${options.concurrency} concurrent, ${options.rotations}+ rotations (reported lifetime ${options.lifetimeMs} ms) against ${rgw.endpoint}`);
    const progress = setInterval(() => log(`… ${requests} requests, ${refreshes - 1} rotations, ${round((requests / (performance.now() - began)) * 1000)} req/s`), 5_000);
    progress.unref();
    try {
      await Promise.all(Array.from({ length: options.concurrency }, (_, i) => worker(i)));
    } finally {
      clearInterval(progress);
    }
    const durationMs = performance.now() - began;

    const sorted = latencies.slice(0, requests).sort();
    let sum = 0;
    for (const value of sorted) sum += value;
    const stsSorted = Float64Array.from(stsCallMs).sort();
    const stsCalls = stsProxy.seen.filter((r) => /Action=AssumeRole\b/.test(r.body.toString('utf8'))).length;
    const rotations = refreshes - 1;
    const signatureRejections = Object.values(statuses).reduce((n, byStatus) => n + (byStatus['403'] ?? 0), 0);
    peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);

    const failures: string[] = [];
    if (requests < options.requests) failures.push(`only ${requests} of ${options.requests} requests`);
    if (rotations < options.rotations) failures.push(`only ${rotations} of ${options.rotations} rotations`);
    if (signatureRejections > 0) failures.push(`${signatureRejections} signature rejections (403)`);
    if (Object.keys(unexpected).length > 0) failures.push(`unexpected statuses ${JSON.stringify(unexpected)}`);
    if (Object.keys(errors).length > 0) failures.push(`request errors ${JSON.stringify(errors)}`);
    if (contentMismatches > 0) failures.push(`${contentMismatches} content mismatches`);
    if (stale > 0) failures.push(`${stale} attempts signed with expired credentials: ${staleExamples.join('; ')}`);
    if (missing > 0) failures.push(`${missing} attempts without a signature from a known identity`);
    if (providerCalls !== refreshes || stsCalls !== providerCalls) failures.push(`provider calls ${providerCalls}, STS calls ${stsCalls}, refreshes ${refreshes}: not one call per rotation`);
    if (signings !== attempts) failures.push(`${signings} signings for ${attempts} attempts`);
    if (identities.size !== providerCalls) failures.push(`${identities.size} distinct access keys from ${providerCalls} provider calls`);

    return {
      startedAt: startedAt.toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        totalMemoryMiB: mib(os.totalmem()),
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
        loadAverageAtStart,
        loadAverageAtEnd: os.loadavg().map((v) => round(v, 2)),
      },
      load: { targetRequests: options.requests, concurrency: options.concurrency, targetRotations: options.rotations, reportedLifetimeMs: options.lifetimeMs },
      durationSeconds: round(durationMs / 1000, 2),
      requests,
      attempts,
      requestsPerSecond: round((requests / durationMs) * 1000),
      latencyMs: {
        p50: round(percentile(sorted, 50), 2),
        p90: round(percentile(sorted, 90), 2),
        p99: round(percentile(sorted, 99), 2),
        max: round(sorted[sorted.length - 1] ?? Number.NaN, 2),
        mean: round(sum / Math.max(1, requests), 2),
      },
      statuses,
      unexpectedStatuses: unexpected,
      signatureRejections,
      errors,
      contentMismatches,
      credentials: {
        rotations,
        providerCalls,
        stsCalls,
        refreshErrors,
        distinctAccessKeys: identities.size,
        providerCallsPerRotation: rotations > 0 ? round((providerCalls - 1) / rotations, 3) : Number.NaN,
        signedWithExpiredCredentials: stale,
        signedAfterRealExpiry: staleReal,
        missingOrUnknownSignature: missing,
        signedDuringRefresh: duringRefresh,
        rotationsAfterExpiry,
        longestGapWithoutCredentialsMs: round(longestGap, 0),
        signedInLastSecond: lastSecond,
        minMarginToExpiryMs: round(minMargin, 0),
        stsCallMs: { p50: round(percentile(stsSorted, 50), 1), max: round(stsSorted[stsSorted.length - 1] ?? Number.NaN, 1) },
      },
      memory: { peakRssMiB: mib(peakRss), rssAtStartMiB: mib(rssAtStart), rssAtEndMiB: mib(process.memoryUsage().rss) },
      ok: failures.length === 0,
      failures,
    };
  } finally {
    clearInterval(rssSampler);
    await removeBucket(admin, rgw.endpoint, bucket).catch((error: unknown) => log(`cleanup of ${bucket} failed: ${String(error)}`));
    agent.destroy();
    await stsProxy.close();
  }
}

async function removeBucket(api: Got, endpoint: string, bucket: string): Promise<void> {
  for (;;) {
    const list = await api.get(`${endpoint}/${bucket}`, { searchParams: { 'list-type': 2, 'max-keys': 1000 } });
    const keys = xmlKeys(list.body);
    if (keys.length === 0) break;
    for (const key of keys) await api.delete(`${endpoint}/${bucket}/${keyPath(key)}`);
  }
  await api.delete(`${endpoint}/${bucket}`);
}

/** A one-screen rendering of the summary. */
export function formatSummary(summary: SoakSummary): string {
  const c = summary.credentials;
  const lines = [
    `soak ${summary.ok ? 'PASSED' : 'FAILED'} — ${summary.startedAt}, ${summary.machine.cpus} × ${summary.machine.cpuModel}, ${summary.machine.node}, load avg ${summary.machine.loadAverageAtStart.join('/')} → ${summary.machine.loadAverageAtEnd.join('/')}`,
    `load: ${summary.requests} requests (${summary.attempts} attempts), ${summary.load.concurrency} concurrent, ${c.rotations} rotations (reported lifetime ${summary.load.reportedLifetimeMs} ms), ${summary.durationSeconds} s`,
    `throughput: ${summary.requestsPerSecond} req/s; latency p50 ${summary.latencyMs.p50} ms, p90 ${summary.latencyMs.p90} ms, p99 ${summary.latencyMs.p99} ms, max ${summary.latencyMs.max} ms`,
    `statuses: ${Object.entries(summary.statuses)
      .map(([op, byStatus]) => `${op} ${Object.entries(byStatus).map(([s, n]) => `${s}×${n}`).join(' ')}`)
      .join(', ')}`,
    `signature rejections (403): ${summary.signatureRejections}; unexpected statuses: ${JSON.stringify(summary.unexpectedStatuses)}; errors: ${JSON.stringify(summary.errors)}; content mismatches: ${summary.contentMismatches}`,
    `credentials: ${c.providerCalls} provider calls, ${c.stsCalls} STS AssumeRole calls, ${c.rotations} rotations (${c.providerCallsPerRotation} calls per rotation), ${c.distinctAccessKeys} distinct keys, ${c.refreshErrors} refresh errors; STS call p50 ${c.stsCallMs.p50} ms, max ${c.stsCallMs.max} ms`,
    `signed with expired credentials: ${c.signedWithExpiredCredentials} (reported expiry), ${c.signedAfterRealExpiry} (real expiry); missing/unknown signature: ${c.missingOrUnknownSignature}; signed in the last second before expiry: ${c.signedInLastSecond}; smallest margin to expiry ${c.minMarginToExpiryMs} ms`,
    `refresh ahead: ${c.signedDuringRefresh} attempts signed with the old credentials while STS was being called; ${c.rotationsAfterExpiry} rotations arrived after the old credentials' reported expiry (longest wait ${c.longestGapWithoutCredentialsMs} ms)`,
    `memory: peak RSS ${summary.memory.peakRssMiB} MiB (start ${summary.memory.rssAtStartMiB} MiB, end ${summary.memory.rssAtEndMiB} MiB)`,
  ];
  if (!summary.ok) lines.push(`FAILURES: ${summary.failures.join(' | ')}`);
  return lines.join('\n');
}
