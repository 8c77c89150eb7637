/**
 * Diagnostics channels and `NODE_DEBUG=got-aws4auth` output; see docs/observability.md.
 *
 * @module
 */
export {
  SIGNING_CHANNEL,
  CREDENTIALS_CHANNEL,
  CLOCK_CHANNEL,
  RETRY_CHANNEL,
  type SigningEvent,
  type CredentialsEvent,
  type ClockEvent,
  type RetryEvent,
} from './channels.js';
