/**
 * The proxy's XML error bodies are always well-formed and hold exactly the text put into them: every
 * field goes through one escaper, checked here for any string, and a client-sent header name quoted by a
 * refusal cannot inject markup.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../src/index.js';
import { ProxyRefusal, refusalXml } from '../../src/proxy/refusal.js';
import { xmlEscape } from '../../src/proxy/xml-escape.js';
import { startVerifyingServer, type VerifyingServer } from '../helpers/verifying-server.js';
import { CLIENT_KEY, rawRequest, startProxy, type RunningProxy } from './support.js';

const RUNS = Number(process.env.PROXY_PROPERTY_RUNS ?? 500);
const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Only characters XML 1.0 allows, markup only as the five entities. */
const WELL_FORMED_TEXT = /^(?:[^&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff]|&(?:amp|lt|gt|quot|apos);)*$/;

function unescape(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_m, name: string) => ENTITIES[name]!);
}

/** The input with the code points XML cannot hold removed, computed per code point (independently of the escaper's pattern). */
function xmlCharacters(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += text.slice(i, i + 2);
      i++;
    } else if (!(unit >= 0xd800 && unit <= 0xdfff) && unit !== 0xfffe && unit !== 0xffff && (unit >= 0x20 || unit === 0x09 || unit === 0x0a || unit === 0x0d)) {
      out += text[i];
    }
  }
  return out;
}

const anyText = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('<', '>', '&', '"', "'", ';', 'a', '\u0000', '\ud800', '\udc00', '\uffff') }));

describe('XML error bodies', () => {
  it('xmlEscape gives well-formed text that reads back as the input less what XML cannot hold, for any string', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const escaped = xmlEscape(text);
        expect(escaped).toMatch(WELL_FORMED_TEXT);
        expect(unescape(escaped)).toBe(xmlCharacters(text));
      }),
      { numRuns: RUNS },
    );
  });

  it('a refusal body is one <Error> with exactly four text fields, whatever its code, message and resource', () => {
    const shape = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<Error><Code>([^<]*)<\/Code><Message>([^<]*)<\/Message><Resource>([^<]*)<\/Resource><RequestId>[0-9A-F]{16}<\/RequestId><\/Error>\n$/;
    fc.assert(
      fc.property(anyText, anyText, anyText, (code, message, resource) => {
        const match = shape.exec(refusalXml(new ProxyRefusal(400, code, message), resource, '0123456789ABCDEF'));
        expect(match).not.toBeNull();
        expect(match!.slice(1).map(unescape)).toEqual([code, message, resource].map(xmlCharacters));
      }),
      { numRuns: RUNS },
    );
  });

  describe('through the proxy', () => {
    let upstream: VerifyingServer;
    let proxy: RunningProxy;
    beforeAll(async () => {
      upstream = await startVerifyingServer({});
      proxy = await startProxy({ upstreams: [{ url: upstream.origin, service: 's3', region: 'eu-west-1' }], credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }, clientKeys: [CLIENT_KEY] });
    });
    afterAll(async () => {
      await Promise.all([proxy.close(), upstream.close()]);
    });

    it('a refusal that names a client-sent header escapes it', async () => {
      const signed = signRequest({ method: 'GET', url: `${proxy.url}/bucket/key` }, { credentials: CLIENT_KEY, region: 'eu-west-1', service: 's3' });
      const answer = await rawRequest(`${proxy.url}/bucket/key`, 'GET', { ...(signed.headers as Record<string, string>), "x-amz-a&b'c": 'v' }, Buffer.alloc(0), 'length');
      expect(answer.status).toBe(403);
      expect(answer.body).toMatch(/^<\?xml[^>]*>\n<Error><Code>\w+<\/Code><Message>[^<]*<\/Message><Resource>[^<]*<\/Resource><RequestId>[0-9A-F]+<\/RequestId><\/Error>\n$/);
      expect(answer.body).toContain('x-amz-a&amp;b&apos;c');
    });
  });
});
