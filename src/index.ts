/**
 * got-aws4auth: AWS Signature Version 4 for got, with refreshable AWS SDK v3 credentials.
 *
 * Everything is exported from here; the signer core alone is also available as `got-aws4auth/signer`,
 * which needs neither got nor the AWS SDK.
 *
 * The API reference groups the exports by what they are for: the got plugin, credentials, the signer,
 * presigning, streaming, SigV4a, verifying, errors, diagnostics, the signing proxy, and the
 * requests-aws4auth classes.
 *
 * @packageDocumentation
 * @module got-aws4auth
 * @category API reference
 */
export * from './signer/index.js';
export * from './auth/index.js';
export * from './credentials/index.js';
export * from './endpoints/index.js';
export * from './got/index.js';
export * from './diagnostics/index.js';
export * from './proxy/index.js';
