import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

/** The built CLI (`npm test` builds it first). */
export const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** A receiver running as its own process. */
export interface ReceiverProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** The log lines so far, parsed. */
  readonly log: Record<string, unknown>[];
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
}

/** Starts `node dist/cli/main.js receive ARGS` and waits for its `listening` line. */
export function spawnReceiver(args: readonly string[]): Promise<ReceiverProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  const child = spawn(process.execPath, [MAIN, 'receive', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      log.push(entry);
      if (entry['event'] === 'listening') {
        resolve({ child, port: entry['port'] as number, log, exited });
      }
    });
    void exited.then((code) => reject(new Error(`receiver exited ${code}: ${stderr}`)));
  });
}

/** Runs the CLI to its end: exit code, stdout, stderr. */
export function runCli(
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) =>
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr })),
  );
}
