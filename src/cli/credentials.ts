/**
 * Credentials for the CLI: the AWS SDK's default provider chain (`fromNodeProviderChain`, for `--profile`
 * with that profile) behind the library's {@link CredentialCache}. They are fetched once before anything is
 * sent, so a missing login fails fast with its own exit code and a message that says how to log in; the
 * same cache then signs every attempt of the request.
 *
 * The SDK's providers read `process.env` and the shared config files themselves.
 *
 * @module
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { checkAccessKeyId, checkSecret, checkSessionToken } from '../signer/validate.js';
import { CredentialCache, CredentialsError } from '../credentials/index.js';
import { CliError } from './cli-error.js';
import { libraryFailure } from './library-failure.js';
import type { CliNames } from './option-names.js';

/**
 * Credentials ready to sign with.
 * @category CLI
 */
export interface LoadedCredentials {
  /** The cache to hand to the plugin. */
  readonly cache: CredentialCache;
  /** The identity fetched up front (for presigning, and for `--verbose` to name the access key id). */
  readonly identity: AwsCredentialIdentity;
}

/**
 * Turns a credential failure into the CLI's message and exit code; other errors pass through.
 *
 * @param error - anything thrown while getting credentials or signing
 * @param profile - the `--profile` given, to name it in the advice
 * @param names - where the credentials came from, to name a malformed field by its variable or profile
 * @category CLI
 */
export function credentialFailure(error: unknown, profile: string | undefined, names: CliNames): unknown {
  if (!(error instanceof CredentialsError)) return error;
  const failure = libraryFailure(error, { profile, names });
  return new CliError(failure.exitCode, failure.message, { cause: error });
}

/**
 * The chain's identity checked field by field with the signer's own validators, so that a malformed value
 * fails as an error whose `field` names it (`credentials.accessKeyId`), which the CLI turns into the
 * variable or profile it came from; the cache keeps that error as the `cause` of its `CredentialsError`.
 */
function checkedProvider(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  return async (options) => {
    const identity = await provider(options);
    checkAccessKeyId(identity.accessKeyId, 'credentials.accessKeyId');
    checkSecret(identity.secretAccessKey, 'credentials.secretAccessKey');
    checkSessionToken(identity.sessionToken, 'credentials.sessionToken');
    return identity;
  };
}

/**
 * Gets credentials from the default chain.
 *
 * A provider that never answers (a container endpoint that accepts the connection and stays silent: the
 * SDK's own request timeout only warns) fails after `timeoutMs` with the cache's timeout error. The SDK
 * offers no way to abort its request, so its socket stays open: the command's entry point (`main.ts`)
 * exits once it has its exit code rather than waiting for it.
 *
 * @param profile - `--profile`, or undefined for the chain's own choice (`AWS_PROFILE`, else `default`)
 * @param timeoutMs - the longest the chain may take (`--max-time`); undefined for the cache's default (30 s)
 * @throws the cache's `CredentialsError` when the chain has none or did not answer in time, which
 * {@link credentialFailure} puts in the command line's terms
 * @category CLI
 */
export async function loadCredentials(profile: string | undefined, timeoutMs?: number): Promise<LoadedCredentials> {
  const provider = checkedProvider(fromNodeProviderChain(profile === undefined ? {} : { profile }));
  const cache = new CredentialCache(provider, timeoutMs === undefined ? {} : { timeoutMs });
  return { cache, identity: await cache.getCredentials() };
}
