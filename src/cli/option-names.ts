/**
 * The library names what it is given as a caller wrote it (`options.region`, `aws4Hooks options.service`,
 * `request.headers["x-a"]`, `credentials.accessKeyId`); a user of the command typed `--region`, `-H`, or
 * set `AWS_REGION`, and must read those names instead. This module maps the structured `field` of a library
 * error, through one table, to where that value came from on the command line, and to the exit code for a
 * bad value of it. The error's message text is never parsed: rewording a library message cannot change the
 * name the CLI reports or its exit code.
 *
 * Only names change: no value is added to a message, so a message holds a secret no more than it did.
 *
 * @module
 */
import { ExitCode } from './exit-codes.js';

/**
 * What the user knows a value by, and the exit code for a value of it that the library refuses.
 * @category CLI
 */
export interface CliName {
  readonly name: string;
  readonly exitCode: ExitCode;
}

type CredentialField = 'accessKeyId' | 'secretAccessKey' | 'sessionToken';

/**
 * Where the values that vary from run to run came from.
 * @category CLI
 */
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
 * @category CLI
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

type Rename = (names: CliNames) => CliName;

/** The option names a field may carry before its own name, for the plugin, the signer and the credential cache. */
const OPTION_PREFIXES = ['options.', 'aws4Hooks options.'] as const;
const CREDENTIAL_PREFIXES = ['', 'credentials.', 'options.credentials.', 'aws4Hooks options.credentials.'] as const;

/** Every library field of a value the CLI hands the signer or the plugin, and what the command line calls it. */
const FIELDS: ReadonlyMap<string, Rename> = new Map<string, Rename>([
  ...OPTION_PREFIXES.flatMap((prefix): Array<[string, Rename]> => [
    [`${prefix}region`, (names) => names.region],
    [`${prefix}service`, () => usage('--service')],
    [`${prefix}expiresIn`, () => usage('--expires')],
    [`${prefix}payloadHash`, () => usage('--unsigned-payload')],
  ]),
  ...CREDENTIAL_PREFIXES.flatMap((prefix) =>
    (['accessKeyId', 'secretAccessKey', 'sessionToken'] as const).map((field): [string, Rename] => [`${prefix}${field}`, (names) => names.credentials[field]]),
  ),
  ['request.method', () => usage('-X')],
  ['request.url', () => ({ name: 'the URL', exitCode: ExitCode.URL_MALFORMED })],
]);

const HEADER_FIELD = { start: 'request.headers["', end: '"]' } as const;

/**
 * What the command line calls a library field, e.g. `--region` for `aws4Hooks options.region`.
 *
 * @param field - an `InvalidInputError`'s `field`
 * @param names - where the region and credentials came from
 * @returns undefined for a field the CLI never passes
 * @category CLI
 */
export function cliName(field: string, names: CliNames): CliName | undefined {
  const rename = FIELDS.get(field);
  if (rename !== undefined) return rename(names);
  if (field.startsWith(HEADER_FIELD.start) && field.endsWith(HEADER_FIELD.end) && field.length > HEADER_FIELD.start.length + HEADER_FIELD.end.length) {
    return usage(`the -H header "${field.slice(HEADER_FIELD.start.length, -HEADER_FIELD.end.length)}"`);
  }
  return undefined;
}

/**
 * A library error's message restated under the command line's name for its field. The library writes
 * `<field> <problem>`; when the message still starts with the field, the problem is kept after the new
 * name, and otherwise the whole message follows it, so the name the user reads never depends on the
 * message's wording.
 *
 * @param field - the error's `field`
 * @param message - the error's message
 * @param name - what the command line calls the field
 * @category CLI
 */
export function restate(field: string, message: string, name: string): string {
  return message.startsWith(`${field} `) ? `${name} ${message.slice(field.length + 1)}` : `${name}: ${message}`;
}
