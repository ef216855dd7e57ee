import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CONTROL_PREFIX, handleControl } from "./control-routes";
import { Faults, type ArmedFault } from "./faults";
import { editorPage, handleApi, json, type Reply } from "./routes";
import type { FakeControls, FakeSource } from "./types";

/**
 * A fake n8n public API over real HTTP on 127.0.0.1, for tests, the demo (in-process in
 * the Next server) and the benchmark. It follows /work/shared/n8n/CONTRACT.md, and adds
 * its own control routes under /__fake/ (control-routes.ts), outside n8n's API.
 */
export interface FakeN8nOptions {
  apiKey: string;
  source: FakeSource;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The server's clock; default the source's clock, else real time. */
  now?: () => Date;
  /** Oldest entries of `requests` are dropped beyond this (the demo runs for days). */
  maxLoggedRequests?: number;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

export interface FakeN8n {
  /** Base URL without "/api/v1", e.g. http://127.0.0.1:41234 */
  url: string;
  faults: Faults;
  requests: FakeRequest[];
  /** The source's controls (fail, stop, inject), also served under /__fake/; null for a source without. */
  controls: FakeControls | null;
  close(): Promise<void>;
}

/** Control bodies are a few hundred bytes; anything much larger is not one. */
const MAX_CONTROL_BODY = 64 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_CONTROL_BODY) throw new Error("body too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function faultReply(fault: ArmedFault, real: () => Reply): Reply {
  switch (fault.kind) {
    case "serverError":
      // Proxies answer 502-504 with their own HTML; n8n itself answers 500 with JSON.
      return fault.status === 500 || fault.status === undefined
        ? json(500, { message: "Internal Server Error" })
        : {
            status: fault.status,
            headers: { "content-type": "text/html" },
            body: `<html><body><h1>${fault.status}</h1></body></html>`,
          };
    case "rateLimit": {
      const seconds = fault.retryAfterSeconds ?? 1;
      return json(
        429,
        { message: "Too many requests" },
        {
          "retry-after": String(seconds),
          "x-ratelimit-limit": "60",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(Math.ceil(Date.now() / 1000) + seconds),
        },
      );
    }
    case "truncated": {
      const reply = real();
      return { ...reply, status: 200, body: reply.body.slice(0, Math.floor(reply.body.length / 2)) };
    }
    case "html":
      return {
        status: 200,
        headers: { "content-type": "text/html; charset=utf-8" },
        body: "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Checking your browser before accessing the site.</body></html>",
      };
  }
}

export async function startFakeN8n(options: FakeN8nOptions): Promise<FakeN8n> {
  const { apiKey, source } = options;
  const clock = options.now ?? (() => source.now?.() ?? new Date());
  const maxLogged = options.maxLoggedRequests ?? 10_000;
  const faults = new Faults();
  const requests: FakeRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function control(req: IncomingMessage, res: ServerResponse, path: string) {
    const key = req.headers["x-n8n-api-key"];
    let reply: Reply;
    try {
      const body = await readBody(req);
      reply = handleControl(
        { method: req.method ?? "GET", path, apiKey: Array.isArray(key) ? key[0] : key, body },
        { apiKey, controls: source.controls ?? null },
      );
    } catch (err) {
      console.error("fake n8n control:", err);
      reply = json(500, { message: err instanceof Error ? err.message : "Internal Server Error" });
    }
    if (res.destroyed) return;
    res.writeHead(reply.status, { ...reply.headers, "content-length": Buffer.byteLength(reply.body) });
    res.end(reply.body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    // The fake's own routes: no faults, not logged with n8n's requests.
    if (url.pathname.startsWith(CONTROL_PREFIX)) return control(req, res, url.pathname);
    const { delayMs, fault } = faults.take(url.pathname);
    if (delayMs > 0) await wait(delayMs);

    const real = (): Reply => {
      if (!url.pathname.startsWith("/api/")) return editorPage();
      const key = req.headers["x-n8n-api-key"];
      const ctx = { apiKey, source, now: clock() };
      return handleApi(
        {
          method: req.method ?? "GET",
          path: url.pathname,
          query: url.searchParams,
          apiKey: Array.isArray(key) ? key[0] : key,
        },
        ctx,
      );
    };
    let reply: Reply;
    try {
      reply = fault ? faultReply(fault, real) : real();
    } catch (err) {
      console.error("fake n8n:", err);
      reply = json(500, { message: "Internal Server Error" });
    }

    requests.push({
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: reply.status,
    });
    if (requests.length > maxLogged) requests.splice(0, requests.length - Math.floor(maxLogged * 0.9));
    // The client may have given up (timeout) while we waited; nothing to answer then.
    if (res.destroyed) return;
    res.writeHead(reply.status, { ...reply.headers, "content-length": Buffer.byteLength(reply.body) });
    res.end(reply.body);
  }

  const server = createServer((req, res) => {
    res.on("error", () => {}); // a client that hung up mid-answer is not our failure
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    requests,
    controls: source.controls ?? null,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
