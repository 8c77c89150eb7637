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
import type { AwsCredentialIdentity } from '@smithy/types';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { CredentialCache, CredentialsError } from '../credentials/index.js';
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';
import { inCliTerms, type CliNames } from './option-names.js';

/** Credentials ready to sign with. */
export interface LoadedCredentials {
  /** The cache to hand to the plugin. */
  readonly cache: CredentialCache;
  /** The identity fetched up front (for presigning, and for `--verbose` to name the access key id). */
  readonly identity: AwsCredentialIdentity;
}

/** The first line of the provider's own message: the SDK's messages name the source that failed. */
function providerReason(error: CredentialsError): string {
  const cause = error.cause;
  const text = cause instanceof Error && cause.message !== '' ? cause.message : error.message;
  return text.split('\n')[0]!.trim();
}

/**
 * Turns a credential failure into the CLI's message and exit code; other errors pass through.
 *
 * @param error - anything thrown while getting credentials or signing
 * @param profile - the `--profile` given, to name it in the advice
 * @param names - where the credentials came from, to name a malformed field by its variable or profile
 */
export function credentialFailure(error: unknown, profile: string | undefined, names: CliNames): unknown {
  if (!(error instanceof CredentialsError)) return error;
  const advice =
    profile !== undefined
      ? `check that profile "${profile}" exists in ~/.aws/config or ~/.aws/credentials (or log in to it: aws sso login --profile ${profile})`
      : 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys), ' +
        'or pick a profile with --profile NAME or AWS_PROFILE (aws configure / aws sso login create one)';
  return new CliError(ExitCode.CREDENTIALS, `no AWS credentials: ${inCliTerms(providerReason(error), names)}\n  To fix: ${advice}.`, { cause: error });
}

/**
 * Gets credentials from the default chain.
 *
 * @param profile - `--profile`, or undefined for the chain's own choice (`AWS_PROFILE`, else `default`)
 * @throws the cache's `CredentialsError` when the chain has none, which {@link credentialFailure} puts
 * in the command line's terms
 */
export async function loadCredentials(profile: string | undefined): Promise<LoadedCredentials> {
  const cache = new CredentialCache(fromNodeProviderChain(profile === undefined ? {} : { profile }));
  return { cache, identity: await cache.getCredentials() };
}
