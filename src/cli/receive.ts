import { readFile } from 'node:fs/promises';
import { CallreconError } from '../core/errors.js';
import { ReceiveError } from '../io/receive/errors.js';
import { startReceiver, type Receiver } from '../io/receive/server.js';
import type { Credentials } from '../io/receive/auth.js';

/**
 * The options of `callrecon receive` (SPEC §6, §8).
 *
 * @example
 * const options: ReceiveCommandLine = parseReceiveArgs(['--dir', 'pushes', '--no-auth'], {});
 */
export interface ReceiveCommandLine {
  readonly dir: string;
  readonly host: string;
  readonly port: number;
  /** Undefined with `--no-auth`. */
  readonly appKey: string | undefined;
  readonly appSecretFile: string | undefined;
  readonly noAuth: boolean;
  readonly bodyTimeoutSeconds: number;
  readonly help: boolean;
}

/**
 * `callrecon receive --help`: this command's options only (SPEC §6).
 *
 * @example
 * process.stdout.write(RECEIVE_HELP);
 */
export const RECEIVE_HELP = `Usage: callrecon receive --dir DIR [--host H] [--port N] [--app-key K --app-secret-file F | --no-auth]

Receives the platform's pushes (fee, call event, SMS) over HTTP and stores each one on disk
before answering 200: DIR/YYYY-MM-DD/pushes.ndjson, which \`callrecon reconcile --cdrs DIR\`
reads. GET /healthz answers 200 while pushes are accepted. SIGTERM stops it cleanly.

Options:
  --dir DIR               folder of the stored pushes (made when missing; one receiver a folder)
  --host H                address to listen on (default 127.0.0.1; put a TLS proxy in front)
  --port N                port to listen on (default 8080; 0 picks a free one, logged)
  --app-key K             the app key pushes are signed with (or CALLRECON_APP_KEY)
  --app-secret-file F     file holding the app secret (or CALLRECON_APP_SECRET_FILE, or the
                          secret itself in CALLRECON_APP_SECRET)
  --no-auth               accept unsigned pushes (only behind a gateway that checks them)
  --body-timeout SECONDS  a body not received whole in this time is answered 408 (default 30)
  --help                  this help

Log: one JSON line a request on stdout, phone numbers masked. Exit codes: 0 stopped by
SIGTERM or SIGINT, 2 a bad option, a locked folder or a port in use, 3 an internal error.
`;

const VALUED = new Set(['dir', 'host', 'port', 'app-key', 'app-secret-file', 'body-timeout']);

/**
 * Parses the arguments after `receive`, without side effects.
 *
 * @param args - the arguments after the command name
 * @param env - where `CALLRECON_APP_KEY` and `CALLRECON_APP_SECRET_FILE` are looked up
 * @returns the options
 * @throws {@link ReceiveError} naming the flag and what is wrong
 * @example
 * parseReceiveArgs(['--dir', 'pushes', '--no-auth'], {}).port; // 8080
 */
export function parseReceiveArgs(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ReceiveCommandLine {
  const values = new Map<string, string>();
  let noAuth = false;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq === -1 ? undefined : eq) : undefined;
    if (name === 'help') help = true;
    else if (name === 'no-auth') noAuth = true;
    else if (name !== undefined && VALUED.has(name)) {
      const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
      if (value === undefined || (eq === -1 && value.startsWith('--'))) {
        throw new ReceiveError(`--${name} needs a value, e.g. ${exampleOf(name)}`);
      }
      if (values.has(name)) throw new ReceiveError(`--${name} is given twice`);
      values.set(name, value);
    } else {
      throw new ReceiveError(`receive: unknown option '${arg}'; see callrecon receive --help`);
    }
  }
  const dir = values.get('dir');
  if (!help && (dir === undefined || dir === '')) {
    throw new ReceiveError('receive: --dir DIR is required (the folder the pushes are kept in)');
  }
  const appKey = values.get('app-key') ?? nonEmpty(env['CALLRECON_APP_KEY']);
  const appSecretFile = values.get('app-secret-file') ?? nonEmpty(env['CALLRECON_APP_SECRET_FILE']);
  if (!help && noAuth && (values.has('app-key') || values.has('app-secret-file'))) {
    throw new ReceiveError('receive: --no-auth and --app-key/--app-secret-file exclude each other');
  }
  if (!help && !noAuth) {
    if (appKey === undefined) {
      throw new ReceiveError(
        'receive: --app-key K (or CALLRECON_APP_KEY) is required, or --no-auth behind a gateway that checks the pushes',
      );
    }
    if (appSecretFile === undefined && nonEmpty(env['CALLRECON_APP_SECRET']) === undefined) {
      throw new ReceiveError(
        'receive: --app-secret-file F (or CALLRECON_APP_SECRET_FILE, or CALLRECON_APP_SECRET) is required with --app-key',
      );
    }
  }
  return {
    dir: dir ?? '',
    host: values.get('host') ?? '127.0.0.1',
    port: wholeNumber(values.get('port'), 'port', 8080, 0, 65535),
    appKey: noAuth ? undefined : appKey,
    appSecretFile: noAuth ? undefined : appSecretFile,
    noAuth,
    bodyTimeoutSeconds: wholeNumber(values.get('body-timeout'), 'body-timeout', 30, 1, 3600),
    help,
  };
}

/**
 * Runs `callrecon receive` (SPEC §8) until SIGTERM or SIGINT, and resolves with the exit
 * code: 0 after a clean stop, 2 for a bad option, a folder another receiver holds or a port
 * in use, 3 for an internal failure.
 *
 * @param args - the arguments after `receive`
 * @param io - stdout takes the JSON log, stderr the one-line failures
 * @returns the exit code
 * @example
 * process.exitCode = await runReceiveCommand(['--dir', 'pushes', '--no-auth'], process);
 */
export async function runReceiveCommand(
  args: readonly string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> {
  let receiver: Receiver | undefined;
  try {
    const options = parseReceiveArgs(args, process.env);
    if (options.help) {
      io.stdout.write(RECEIVE_HELP);
      return 0;
    }
    const credentials = options.noAuth ? undefined : await readCredentials(options);
    receiver = await startReceiver({
      dir: options.dir,
      host: options.host,
      port: options.port,
      credentials,
      bodyTimeoutMs: options.bodyTimeoutSeconds * 1000,
      log: io.stdout,
    });
    const running = receiver;
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        void running.close().then(resolve, resolve);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
    return 0;
  } catch (error) {
    if (error instanceof CallreconError) {
      io.stderr.write(`callrecon: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(
      `callrecon: internal error (a defect, please report it with the command you ran):\n${(error as Error).stack ?? String(error)}\n`,
    );
    return 3;
  }
}

async function readCredentials(options: ReceiveCommandLine): Promise<Credentials> {
  const appKey = options.appKey as string;
  if (options.appSecretFile === undefined) {
    return { appKey, appSecret: withoutLineBreak(process.env['CALLRECON_APP_SECRET'] ?? '') };
  }
  let text: string;
  try {
    text = await readFile(options.appSecretFile, 'utf8');
  } catch (cause) {
    throw new ReceiveError(
      `--app-secret-file ${options.appSecretFile}: cannot be read (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`,
      { cause },
    );
  }
  const appSecret = withoutLineBreak(text);
  if (appSecret === '') {
    throw new ReceiveError(`--app-secret-file ${options.appSecretFile} is empty`);
  }
  return { appKey, appSecret };
}

/** SPEC §8: the secret is the file's content without a trailing line break. */
function withoutLineBreak(text: string): string {
  return text.replace(/\r?\n$/, '');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function wholeNumber(
  text: string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (text === undefined) return fallback;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw new ReceiveError(`--${name} '${text}' is not a whole number from ${min} to ${max}`);
  }
  return value;
}

function exampleOf(name: string): string {
  const examples: Record<string, string> = {
    dir: '--dir /var/lib/callrecon/pushes',
    host: '--host 0.0.0.0',
    port: '--port 8080',
    'app-key': '--app-key 7a4d…',
    'app-secret-file': '--app-secret-file /etc/callrecon/app-secret',
    'body-timeout': '--body-timeout 30',
  };
  return examples[name] ?? `--${name} VALUE`;
}
