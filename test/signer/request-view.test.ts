import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitUrl, splitUrlByPattern } from '../../src/signer/request-view.js';

const urlCharacter = fc.constantFrom('a', 'Z', '0', '/', '?', '#', '&', '=', '%', '@', ':', '.', ' ', '+', '~', '\n', 'é');

describe('splitting a request URL', () => {
  it('the indexOf fast path splits every http(s) URL exactly as the general pattern does', () => {
    fc.assert(fc.property(fc.constantFrom('http://', 'https://'), fc.string({ unit: urlCharacter, maxLength: 40 }), (scheme, rest) => {
      expect(splitUrl(scheme + rest)).toEqual(splitUrlByPattern(scheme + rest));
    }), { numRuns: 3000 });
  });

  it('schemes in other spellings take the general pattern', () => {
    expect(splitUrl('HTTPS://Example.com/a?b#c')).toEqual({ protocol: 'https:', authority: 'Example.com', path: '/a', query: 'b' });
    expect(() => splitUrl('ftp://example.com/')).toThrow(/http or https/);
  });

  it('a query mark after the fragment mark belongs to the fragment', () => {
    expect(splitUrl('https://h/p#f?q')).toEqual({ protocol: 'https:', authority: 'h', path: '/p', query: '' });
    expect(splitUrl('https://h?q/x#f')).toEqual({ protocol: 'https:', authority: 'h', path: '', query: 'q/x' });
  });
});
