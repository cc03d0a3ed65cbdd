import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";

// Small node:http helpers: the portal has a handful of routes, not enough to
// justify a framework, and it must be able to drop a socket mid-response.

const maxBodyBytes = 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (status === 204) {
    res.writeHead(204, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  res
    .writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(text),
      ...headers,
    })
    .end(text);
}

/**
 * Answers a request whose handler threw: an HttpError with its own status and
 * code; anything else as a logged 500 (or a dropped socket when the answer had
 * begun). Returns the outcome to log for the request.
 */
export function answerFailure(
  res: ServerResponse,
  error: unknown,
  { log, service, method, path }: { log: Logger; service: string; method: string; path: string },
): string {
  if (error instanceof HttpError) {
    if (!res.headersSent) sendJson(res, error.status, { error: error.code, message: error.message }, error.headers);
    return error.code;
  }
  log.error({ err: error, method, path }, `${service} request failed`);
  if (res.headersSent) res.destroy();
  else sendJson(res, 500, { error: "internal_error", message: `The ${service} failed.` });
  return "internal_error";
}

/** Reads and parses a JSON body; `code` names the 400 a bad body gets. */
export async function readJson(req: IncomingMessage, code: string): Promise<unknown> {
  const contentType = req.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(contentType)) {
    throw new HttpError(415, "unsupported_media_type", "Send the body as application/json.");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new HttpError(413, "payload_too_large", `The body is over ${maxBodyBytes} bytes.`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, code, "The body is not valid JSON.");
  }
}
