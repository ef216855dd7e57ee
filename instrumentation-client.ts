import { config } from "zod/v4/core";

/**
 * Zod 4 builds its fast object parser with `new Function`, and decides whether it may
 * while each object schema is constructed: its probe is refused by the page CSP
 * (proxy.ts: no 'unsafe-eval' in production) and reported as a violation, though zod
 * falls back. Browser code parses API answers with zod (the admin pages), so the probe
 * is turned off here: Next runs this file before any client component module, and so
 * before any schema exists. The server keeps the fast parser.
 */
config({ jitless: true });
