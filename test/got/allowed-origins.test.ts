/**
 * `allowedRedirectOrigins` takes bare origins only (red-team 2 finding 4): trust covers a whole origin, so a
 * URL with a path, query, fragment or user info is refused with a typed error that names the option, says
 * what to pass, and never repeats the value (its user info or query may hold a secret).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAws4Hooks, InvalidInputError } from '../../src/index.js';

const RUNS = Number(process.env.ALLOWED_ORIGINS_RUNS ?? 100);
const PASSWORD = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYALLOWEDORIG';

function refusal(origin: string): InvalidInputError {
  try {
    createAws4Hooks({ allowedRedirectOrigins: [origin] });
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error(`${origin} was accepted`);
}

describe('allowedRedirectOrigins: bare origins only', () => {
  it.each([
    'http://h.example:8080/some/path',
    'http://h.example:8080/?',
    'http://h.example:8080?q',
    'http://h.example:8080/#frag',
    'http://h.example:8080#',
    'http://user@h.example:8080',
    `http://user:${encodeURIComponent(PASSWORD)}@h.example:8080`,
    'http://@h.example',
    'http://h.example/.',
    'http://h.example/%2e',
    'http://h.example\\path',
    ' http://h.example',
    'http://h.example/ ',
  ])('refuses %j, naming the option and the origin to pass, without repeating the value', (origin) => {
    const error = refusal(origin);
    expect(error.field).toBe('aws4Hooks options.allowedRedirectOrigins');
    expect(error.message).toContain('"http://h.example');
    expect(error.message).toContain('pass only');
    expect(error.message).not.toContain(encodeURIComponent(PASSWORD));
    expect(error.message).not.toMatch(/user[:@]/);
  });

  it.each(['http://h.example:8080', 'http://h.example:8080/', 'HTTPS://H.Example', 'https://h.example:443/', 'http://[::1]:9000', 'http://127.0.0.1:1'])('accepts the bare origin %j', (origin) => {
    expect(() => createAws4Hooks({ allowedRedirectOrigins: [origin] })).not.toThrow();
  });

  it('refuses any http(s) URL with a non-empty path, query, fragment or user info (property)', () => {
    const extra = fc.oneof(
      fc.webSegment().filter((s) => s.length > 0).map((s) => `/${s}`),
      fc.webQueryParameters().map((q) => `?${q}`),
      fc.webFragments().map((f) => `#${f}`),
    );
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: false, withFragments: false }), extra, (base, tail) => {
        const origin = new URL(base).origin;
        expect(() => createAws4Hooks({ allowedRedirectOrigins: [origin] })).not.toThrow();
        expect(refusal(`${origin}${tail}`).code).toBe('ERR_AWS4_INVALID_INPUT');
        expect(refusal(origin.replace('://', '://someone@')).code).toBe('ERR_AWS4_INVALID_INPUT');
      }),
      { numRuns: RUNS },
    );
  });
});
