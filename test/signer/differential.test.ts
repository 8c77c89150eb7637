import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  randomRequest,
  ourAuthorization,
  smithyAuthorization,
  aws4Comparison,
  encodedPath,
  rawPath,
} from '../helpers/differential.js';

const RUNS = Number(process.env.DIFF_RUNS ?? 1500);

describe('differential signing against @smithy/signature-v4', () => {
  it('matches for every random non-S3 request: paths normalised and double-encoded', async () => {
    await fc.assert(
      fc.asyncProperty(randomRequest(false), async (request) => {
        const path = rawPath(request);
        expect(ourAuthorization(request, path)).toBe(await smithyAuthorization(request, path));
      }),
      { numRuns: RUNS },
    );
  });

  it('matches for every random S3 request whose key is sent encoded once', async () => {
    await fc.assert(
      fc.asyncProperty(randomRequest(true), async (request) => {
        const path = encodedPath(request);
        expect(ourAuthorization(request, path)).toBe(await smithyAuthorization(request, path));
      }),
      { numRuns: RUNS },
    );
  });

  it('signs an S3 key written by hand (raw characters) as the SDK signs the same key encoded', async () => {
    await fc.assert(
      fc.asyncProperty(randomRequest(true), async (request) => {
        expect(ourAuthorization(request, rawPath(request))).toBe(await smithyAuthorization(request, encodedPath(request)));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('differential signing against aws4, where its rules are SigV4 rules', () => {
  for (const s3 of [false, true]) {
    it(`matches for every comparable random ${s3 ? 'S3' : 'non-S3'} request`, () => {
      let compared = 0;
      fc.assert(
        fc.property(randomRequest(s3), (request) => {
          const result = aws4Comparison(request);
          if (result === undefined) return;
          compared++;
          expect(result.ours).toBe(result.theirs);
        }),
        { numRuns: RUNS },
      );
      expect(compared).toBeGreaterThan(RUNS / 4);
    });
  }
});
