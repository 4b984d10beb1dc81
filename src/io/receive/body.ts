import type { IncomingMessage } from 'node:http';

/**
 * A request body read whole, or why not (with the status to answer, if anyone is left).
 *
 * @example
 * const body: BodyResult = await readBody(req, 2 ** 20, 30_000);
 * if (body.ok) store(body.bytes);
 */
export type BodyResult =
  | { readonly ok: true; readonly bytes: Buffer }
  | { readonly ok: false; readonly status: 408 | 413 | undefined; readonly reason: string };

/**
 * Reads a request body of at most `maxBytes` bytes within `timeoutMs` (SPEC §8). A declared
 * `Content-Length` over the limit is refused before any byte is read; a body that grows
 * past it, or that does not arrive whole in time (a client that never finishes), stops
 * being read.
 *
 * @param req - the request
 * @param maxBytes - the largest body accepted
 * @param timeoutMs - how long the whole body may take
 * @returns the bytes, or the status (413, 408) and reason; status undefined when the client
 *   went away
 * @example
 * const body = await readBody(req, 2 ** 20, 30_000);
 * if (!body.ok) res.writeHead(body.status ?? 400);
 */
export function readBody(
  req: IncomingMessage,
  maxBytes: number,
  timeoutMs: number,
): Promise<BodyResult> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > maxBytes) {
    return Promise.resolve({
      ok: false,
      status: 413,
      reason: `the body of ${declared} bytes is over the limit of ${maxBytes}`,
    });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let settled = false;
    const finish = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onAborted);
      req.off('error', onAborted);
      if (!result.ok) req.resume();
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      length += chunk.length;
      if (length > maxBytes) {
        finish({
          ok: false,
          status: 413,
          reason: `the body is over the limit of ${maxBytes} bytes`,
        });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => finish({ ok: true, bytes: Buffer.concat(chunks, length) });
    const onAborted = (): void =>
      finish({ ok: false, status: undefined, reason: 'the client closed the connection' });
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          status: 408,
          reason: `the body did not arrive whole within ${timeoutMs} ms`,
        }),
      timeoutMs,
    );
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onAborted);
    req.on('error', onAborted);
  });
}
