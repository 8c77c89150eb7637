/**
 * The auth layer's validators are the signer's: one home for validation rules (src/signer/validate.ts).
 * Re-exported here so existing imports keep working while callers move to the signer module.
 *
 * @internal
 * @module
 */
export {
  checkAccessKeyId,
  checkClock,
  checkIncludeHeaders,
  checkOptionalBoolean,
  checkOptionsObject,
  checkScopePart,
  checkSecret,
  checkSessionToken,
  checkShortDate,
  checkTime,
  readClock,
} from '../signer/validate.js';
