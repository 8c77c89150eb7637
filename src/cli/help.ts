/**
 * The `--help` text, printed from the option table in `args.ts` so the two cannot drift apart.
 *
 * @module
 */
import { OPTIONS } from './args.js';
import { ExitCode } from './exit-codes.js';
import { optionFlag } from './option-table.js';

const EXIT_CODE_HELP: Readonly<Record<keyof typeof ExitCode, string>> = {
  OK: 'success (any HTTP status unless --fail)',
  FAILURE: 'other failure',
  USAGE: 'bad command line',
  URL_MALFORMED: 'malformed URL',
  CREDENTIALS: 'no AWS credentials',
  CANNOT_INFER: 'service or region unknown: pass --service/--region',
  COULD_NOT_RESOLVE_HOST: 'could not resolve host',
  COULD_NOT_CONNECT: 'could not connect',
  HTTP_ERROR: 'HTTP status >= 400 with --fail or --fail-with-body',
  WRITE_ERROR: 'could not write the output',
  READ_ERROR: 'could not read the upload file or stdin',
  TIMEOUT: '--max-time elapsed',
  RECEIVE_ERROR: 'connection broke mid-transfer',
  TLS_ERROR: 'TLS certificate not verified',
  PROXY_ERROR: 'the SOCKS proxy refused',
};

/**
 * The help text.
 *
 * @param program - the program name to show
 * @category CLI
 */
export function helpText(program: string): string {
  const rows = Object.entries(OPTIONS).map(([name, spec]) => [`  ${optionFlag(name, spec)}`, spec.help] as const);
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  const codes = Object.entries(ExitCode).map(([name, code]) => `  ${String(code).padStart(2)}  ${EXIT_CODE_HELP[name as keyof typeof ExitCode]}`);
  return [
    `Usage: ${program} [options] <url>`,
    `       ${program} proxy --upstream URL [options]   (a local signing proxy: ${program} proxy --help)`,
    '',
    'Sends an HTTP request signed with AWS Signature Version 4, like curl. The service and region come from',
    'the host name (or --service/--region); credentials from the AWS SDK default chain (environment, --profile',
    'or AWS_PROFILE, SSO, web identity, container, instance metadata). HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and',
    'NO_PROXY (or lower case) choose a proxy as in curl.',
    '',
    'Options:',
    ...rows.map(([left, help]) => left.padEnd(width) + help),
    '',
    'Exit codes:',
    ...codes,
    '',
    'Examples:',
    `  ${program} https://search-logs-abc.eu-west-1.es.amazonaws.com/_cat/indices`,
    `  ${program} --json '{"query":{"match_all":{}}}' https://search-logs-abc.eu-west-1.es.amazonaws.com/logs/_search`,
    `  ${program} -T report.csv https://my-bucket.s3.us-west-2.amazonaws.com/reports/`,
    `  ${program} --presign --expires 900 https://my-bucket.s3.us-west-2.amazonaws.com/reports/report.csv`,
    '',
  ].join('\n');
}
