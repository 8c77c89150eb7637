/**
 * The library names what it is given as a caller wrote it (`options.region`, `aws4Hooks options.service`,
 * `request.headers["x-a"]`, `` `accessKeyId` ``); a user of the command typed `--region`, `-H`, or set
 * `AWS_REGION`, and must read those names instead. This module maps each library name of a value the CLI
 * passes through to where that value came from, so the CLI's messages speak of what the user can change.
 *
 * Only names change: no value is added to a message, so a message holds a secret no more than it did.
 *
 * @module
 */
import { ExitCode } from './exit-codes.js';

/** What the user knows a value by, and the exit code for a value of it that the library refuses. */
export interface CliName {
  readonly name: string;
  readonly exitCode: ExitCode;
}

type CredentialField = 'accessKeyId' | 'secretAccessKey' | 'sessionToken';

/** Where the values that vary from run to run came from. */
export interface CliNames {
  /** The region: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION` or `the region of profile "dev"`. */
  readonly region: CliName;
  /** Each credential field: an environment variable, or the profile it was read from. */
  readonly credentials: Readonly<Record<CredentialField, CliName>>;
}

const ENV_CREDENTIALS: Readonly<Record<CredentialField, string>> = {
  accessKeyId: 'AWS_ACCESS_KEY_ID',
  secretAccessKey: 'AWS_SECRET_ACCESS_KEY',
  sessionToken: 'AWS_SESSION_TOKEN',
};
const PROFILE_CREDENTIALS: Readonly<Record<CredentialField, string>> = {
  accessKeyId: 'the access key id',
  secretAccessKey: 'the secret access key',
  sessionToken: 'the session token',
};

function usage(name: string): CliName {
  return { name, exitCode: ExitCode.USAGE };
}

/**
 * Where the region and the credentials came from.
 *
 * @param profile - `--profile`
 * @param regionFrom - where the region came from (see `SigningScope.regionFrom`), once it is known
 * @param env - the environment the command runs in
 */
export function cliNames(profile: string | undefined, regionFrom: string | undefined, env: Readonly<Record<string, string | undefined>>): CliNames {
  // The SDK's chain skips the environment's keys whenever a profile is named, by --profile or AWS_PROFILE.
  const named = profile ?? (env.AWS_PROFILE || undefined);
  const fromEnv = named === undefined && Boolean(env.AWS_ACCESS_KEY_ID) && Boolean(env.AWS_SECRET_ACCESS_KEY);
  const credential = (field: CredentialField): CliName => ({
    name: fromEnv ? ENV_CREDENTIALS[field] : `${PROFILE_CREDENTIALS[field]} of profile "${named ?? 'default'}"`,
    exitCode: ExitCode.CREDENTIALS,
  });
  return {
    region: regionFrom === undefined || regionFrom === '--region' ? usage('--region') : { name: regionFrom, exitCode: ExitCode.FAILURE },
    credentials: { accessKeyId: credential('accessKeyId'), secretAccessKey: credential('secretAccessKey'), sessionToken: credential('sessionToken') },
  };
}

/** A library name (the whole of it, as the pattern matches it) and what the command line calls it. */
type Rule = readonly [pattern: RegExp, rename: (names: CliNames, captured: string) => CliName];

// Every value the CLI hands the signer or the plugin. `\b` keeps `options.region` from matching `options.regionSet`.
const RULES: readonly Rule[] = [
  [/(?:aws4Hooks )?options\.region\b/, (names) => names.region],
  [/(?:aws4Hooks )?options\.service\b/, () => usage('--service')],
  [/(?:aws4Hooks )?options\.expiresIn\b/, () => usage('--expires')],
  [/(?:aws4Hooks )?options\.payloadHash\b/, () => usage('--unsigned-payload')],
  [/(?:options\.)?credentials\.(accessKeyId|secretAccessKey|sessionToken)\b/, (names, field) => names.credentials[field as CredentialField]],
  [/`(accessKeyId|secretAccessKey|sessionToken)`/, (names, field) => names.credentials[field as CredentialField]],
  [/request\.headers\["([^"]*)"\]/, (_names, header) => usage(`the -H header "${header}"`)],
  [/request\.method\b/, () => usage('-X')],
  [/request\.url\b/, () => ({ name: 'the URL', exitCode: ExitCode.URL_MALFORMED })],
];

/**
 * What the command line calls a library field, e.g. `--region` for `aws4Hooks options.region`.
 *
 * @param field - an `InvalidInputError`'s `field`
 * @param names - where the region and credentials came from
 * @returns undefined for a field the CLI never passes
 */
export function cliName(field: string, names: CliNames): CliName | undefined {
  for (const [pattern, rename] of RULES) {
    const match = new RegExp(`^(?:${pattern.source})`).exec(field);
    if (match !== null) return rename(names, match[1] ?? '');
  }
  return undefined;
}

/**
 * Rewrites every library field name in a message as the command line calls it.
 *
 * @param text - a message of the library (or of a credential provider)
 * @param names - where the region and credentials came from
 */
export function inCliTerms(text: string, names: CliNames): string {
  let result = text;
  for (const [pattern, rename] of RULES) {
    result = result.replace(new RegExp(pattern.source, 'g'), (_whole, captured?: unknown) => rename(names, typeof captured === 'string' ? captured : '').name);
  }
  return result;
}
