/**
 * The auth policy layer: signing keys with their scope, the date mismatch policies of requests-aws4auth
 * (regenerate, strict, passive), session tokens, and the parsing of request dates. Knows nothing of got or
 * of credential providers.
 *
 * @packageDocumentation
 */
export { AWS4SigningKey, type AWS4SigningKeyOptions, type AWS4SigningKeyView } from './signing-key.js';
export {
  AWS4Auth,
  StrictAWS4Auth,
  PassiveAWS4Auth,
  REQUESTS_AWS4AUTH_INCLUDE_HEADERS,
  type AWS4AuthOptions,
  type AWS4AuthSignOptions,
  type AWS4AuthView,
  type RegenerateSigningKeyOptions,
} from './aws4auth.js';
export type { DatePolicyName } from './date-policy.js';
export { DateFormatError, DateMismatchError, NoSecretKeyError } from './errors.js';
export { parseHttpDate } from '../signer/request-date.js';
