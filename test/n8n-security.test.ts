import { createServer, type Server } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { probeN8n } from "@/lib/clients/test-connection";
import { InMemorySource, startFakeN8n, type FakeN8n } from "@/lib/n8n/fake";
import {
  BlockedAddressError,
  N8nClient,
  refusedClass,
  resolveAllowed,
  type HostResolver,
  type N8nClientOptions,
} from "@/lib/n8n";
import { n8nFailure } from "./helpers/n8n-failure";

/**
 * The n8n client refuses addresses an admin must not be able to point the server at,
 * before connecting, and its errors do not tell open ports from closed ones.
 */
const KEY = "secret-api-key-123";

/** A TCP server on 127.0.0.1 that counts the connections it gets; `drop` hangs up on each at once. */
async function countingServer(drop = false) {
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections += 1;
    if (drop) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function client(baseUrl: string, options: Partial<N8nClientOptions> = {}) {
  return new N8nClient({ baseUrl, apiKey: KEY, maxRetries: 2, timeoutMs: 2_000, sleep: async () => {}, ...options });
}

/** A fetch that records calls: none may happen for a refused address. */
function countingFetch() {
  const calls: string[] = [];
  const fetchFn: typeof fetch = async (input) => {
    calls.push(String(input));
    throw new TypeError("fetch failed");
  };
  return { fetchFn, calls };
}

describe("address guard: refused before any connection", () => {
  let server: Awaited<ReturnType<typeof countingServer>>;
  beforeAll(async () => {
    server = await countingServer();
  });
  afterAll(() => server.close());

  const local = () => [
    `http://127.0.0.1:${server.port}`,
    `http://localhost:${server.port}`,
    `http://2130706433:${server.port}`,
    `http://0x7f.0.0.1:${server.port}`,
    `http://0.0.0.0:${server.port}`,
    `http://[::1]:${server.port}`,
    `http://[::ffff:127.0.0.1]:${server.port}`,
    `http://127.5.6.7:${server.port}`,
  ];
  const elsewhere = [
    "http://169.254.169.254",
    "http://10.0.0.5",
    "http://192.168.1.20:5678",
    "http://172.20.0.3",
    "http://100.64.1.1",
    "http://[fd12::1]",
  ];

  it("refuses loopback, unspecified, decimal, IPv6 and IPv4-mapped forms without connecting", async () => {
    for (const url of local()) {
      const err = await n8nFailure(client(url, { allowPrivateHosts: false }).workflowPages().next());
      expect(err, url).toMatchObject({ kind: "blocked_address", transient: false });
      expect(err.message).toContain("N8N_ALLOW_PRIVATE_HOSTS=true");
    }
    expect(server.connections()).toBe(0);
  });

  it("does not even call an injected fetch for a refused address, private or link-local", async () => {
    const { fetchFn, calls } = countingFetch();
    for (const url of [...local(), ...elsewhere]) {
      const err = await n8nFailure(client(url, { allowPrivateHosts: false, fetch: fetchFn }).executionPages().next());
      expect(err.kind, url).toBe("blocked_address");
    }
    expect(calls).toEqual([]);
    expect(server.connections()).toBe(0);
  });

  it("names the address and the setting in the message", async () => {
    const err = await n8nFailure(client("http://10.0.0.5", { allowPrivateHosts: false }).workflowPages().next());
    expect(err.message).toBe(
      "n8n at http://10.0.0.5 resolves to a private address (10.0.0.5); set N8N_ALLOW_PRIVATE_HOSTS=true if your n8n runs on your own network.",
    );
    const named = await n8nFailure(
      client(`http://localhost:${server.port}`, { allowPrivateHosts: false }).workflowPages().next(),
    );
    expect(named.message).toMatch(
      new RegExp(`^n8n at http://localhost:${server.port} resolves to a loopback address \\((127\\.0\\.0\\.1|::1)\\)`),
    );
  });

  it("refuses link-local and cloud metadata addresses even when private hosts are allowed", async () => {
    const { fetchFn, calls } = countingFetch();
    const always = [
      "http://169.254.169.254",
      "http://169.254.1.1:5678",
      "http://[fe80::1]",
      "http://[fd00:ec2::254]",
      "http://100.100.100.200",
      "http://[::ffff:169.254.169.254]",
      "http://[64:ff9b::a9fe:a9fe]",
      "http://metadata.google.internal",
      "http://METADATA.google.internal.",
    ];
    for (const url of always) {
      const err = await n8nFailure(client(url, { allowPrivateHosts: true, fetch: fetchFn }).workflowPages().next());
      expect(err, url).toMatchObject({ kind: "blocked_address", transient: false });
      expect(err.message).toContain("never calls link-local or cloud metadata addresses");
    }
    expect(calls).toEqual([]);
    const metadata = await n8nFailure(
      client("http://169.254.169.254", { allowPrivateHosts: true }).workflowPages().next(),
    );
    expect(metadata.message).toBe(
      "n8n at http://169.254.169.254 resolves to a cloud metadata address (169.254.169.254): Flowscope never calls link-local or cloud metadata addresses, whatever N8N_ALLOW_PRIVATE_HOSTS says.",
    );
  });

  it("re-checks the address each connection resolves to, so DNS cannot change its answer after the check", async () => {
    let lookups = 0;
    // Public for the check before the request, loopback when the connection resolves it.
    const rebinding: HostResolver = async () =>
      ++lookups === 1 ? [{ address: "93.184.216.34", family: 4 }] : [{ address: "127.0.0.1", family: 4 }];
    const err = await n8nFailure(
      client(`http://n8n.rebind.test:${server.port}`, {
        allowPrivateHosts: false,
        resolveHost: rebinding,
        maxRetries: 0,
      })
        .workflowPages()
        .next(),
    );
    expect(err).toMatchObject({ kind: "blocked_address", transient: false });
    expect(err.message).toContain("loopback address (127.0.0.1)");
    expect(lookups).toBe(2);
    expect(server.connections()).toBe(0);
  });

  it("is reported by Test connection as its own kind", async () => {
    const result = await probeN8n("http://10.0.0.5", () =>
      client("http://10.0.0.5", { allowPrivateHosts: false, maxRetries: 0 }),
    );
    expect(result).toMatchObject({
      ok: false,
      error: { kind: "blocked_address", title: "Flowscope does not call this address" },
    });
  });
});

describe("address guard: what it lets through", () => {
  const servers: FakeN8n[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it("allows an n8n on this machine when private hosts are allowed (the default in tests)", async () => {
    const fake = await startFakeN8n({
      apiKey: KEY,
      source: new InMemorySource({ workflows: [{ id: "1", name: "A" }] }),
    });
    servers.push(fake);
    expect((await client(fake.url).workflowPages().next()).value).toHaveLength(1);
    expect(
      (await client(fake.url.replace("127.0.0.1", "localhost"), { allowPrivateHosts: true }).workflowPages().next())
        .value,
    ).toHaveLength(1);
    expect((await n8nFailure(client(fake.url, { allowPrivateHosts: false }).workflowPages().next())).kind).toBe(
      "blocked_address",
    );
    expect(fake.requests).toHaveLength(2);
  });

  it("classifies addresses: public ones pass, the rest by class", () => {
    const cases: Array<[string, ReturnType<typeof refusedClass>, ReturnType<typeof refusedClass>]> = [
      // address, refused without private hosts, refused with them
      ["93.184.216.34", null, null],
      ["8.8.8.8", null, null],
      ["2606:4700::1111", null, null],
      ["::ffff:8.8.8.8", null, null],
      ["64:ff9b::808:808", null, null],
      ["127.0.0.1", "loopback", null],
      ["::1", "loopback", null],
      ["::ffff:7f00:1", "loopback", null],
      ["0.0.0.0", "unspecified", null],
      ["::", "unspecified", null],
      ["10.1.2.3", "private", null],
      ["172.31.255.255", "private", null],
      ["172.32.0.1", null, null],
      ["192.168.0.1", "private", null],
      ["fd00::1", "private", null],
      ["100.64.0.1", "shared", null],
      ["2002:a00:1::", "private", null],
      ["169.254.169.254", "metadata", "metadata"],
      ["169.254.10.10", "link_local", "link_local"],
      ["fe80::1%eth0", "link_local", "link_local"],
      ["fd00:ec2::254", "metadata", "metadata"],
      ["100.100.100.200", "metadata", "metadata"],
      ["::ffff:a9fe:a9fe", "metadata", "metadata"],
    ];
    for (const [address, strict, lenient] of cases) {
      expect([address, refusedClass(address, false)]).toEqual([address, strict]);
      expect([address, refusedClass(address, true)]).toEqual([address, lenient]);
    }
  });

  it("resolves host names and refuses one whose any address is refused", async () => {
    const dns: Record<string, string[]> = {
      "n8n.example.com": ["93.184.216.34", "2606:2800:220:1::1"],
      "internal.example.com": ["10.0.0.5"],
      "mixed.example.com": ["93.184.216.34", "127.0.0.1"],
    };
    const resolve: HostResolver = async (host) =>
      (dns[host] ?? []).map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
    expect(await resolveAllowed("n8n.example.com", { allowPrivate: false, resolve })).toHaveLength(2);
    await expect(resolveAllowed("internal.example.com", { allowPrivate: false, resolve })).rejects.toBeInstanceOf(
      BlockedAddressError,
    );
    await expect(resolveAllowed("mixed.example.com", { allowPrivate: false, resolve })).rejects.toMatchObject({
      address: "127.0.0.1",
      addressClass: "loopback",
    });
    expect(await resolveAllowed("internal.example.com", { allowPrivate: true, resolve })).toEqual([
      { address: "10.0.0.5", family: 4 },
    ]);
    // Refused by name, without asking DNS.
    let asked = false;
    const spy: HostResolver = async () => ((asked = true), []);
    await expect(
      resolveAllowed("metadata.google.internal", { allowPrivate: true, resolve: spy }),
    ).rejects.toMatchObject({ addressClass: "metadata" });
    expect(asked).toBe(false);
  });
});

describe("network errors", () => {
  it("give the same message for a closed port and a port that drops the connection", async () => {
    const closed = await countingServer();
    await closed.close();
    const dropping = await countingServer(true);
    try {
      const message = async (port: number) => {
        const err = await n8nFailure(client(`http://127.0.0.1:${port}`, { maxRetries: 0 }).workflowPages().next());
        expect(err.kind).toBe("unreachable");
        return err.message.replace(String(port), "PORT");
      };
      const refused = await message(closed.port);
      const reset = await message(dropping.port);
      expect(dropping.connections()).toBe(1);
      expect(refused).toBe(reset);
      expect(refused).toBe(
        "Cannot reach n8n at http://127.0.0.1:PORT (could not connect). Check the URL and that n8n is running and reachable from Flowscope.",
      );
      expect(refused).not.toMatch(/\bE[A-Z]{4,}\b|UND_ERR/);
    } finally {
      await dropping.close();
    }
  });
});
