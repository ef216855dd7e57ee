import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { Agent } from "undici";

/**
 * Which addresses Flowscope may call as an n8n instance. An admin types the base URL, so
 * without this the server would connect wherever it is told: its own loopback services,
 * the internal network, or the cloud metadata service that hands out credentials.
 *
 * Link-local and cloud metadata addresses are refused always; loopback, private and the
 * other non-public ranges only unless private hosts are allowed (N8N_ALLOW_PRIVATE_HOSTS:
 * an n8n on the operator's own network is a normal setup).
 */
export type AddressClass = "metadata" | "link_local" | "unspecified" | "loopback" | "private" | "shared" | "reserved";

/** Never called, whatever N8N_ALLOW_PRIVATE_HOSTS says. */
const ALWAYS_REFUSED: ReadonlySet<AddressClass> = new Set(["metadata", "link_local"]);

/** Each class in words, for the sentences that refuse an address (here and for alert channels). */
export const ADDRESS_CLASS_LABELS: Record<AddressClass, string> = {
  metadata: "a cloud metadata address",
  link_local: "a link-local address",
  unspecified: "an unspecified address",
  loopback: "a loopback address",
  private: "a private address",
  shared: "a shared (carrier-grade NAT) address",
  reserved: "a reserved address",
};

type Range = [address: string, prefix: number];

/** Checked in this order: the first class whose list holds the address wins. */
const RANGES: Array<[AddressClass, Range[]]> = [
  [
    "metadata",
    [
      ["169.254.169.254", 32], // AWS, GCP, Azure, OpenStack, Oracle, DigitalOcean...
      ["169.254.170.2", 32], // AWS ECS task metadata
      ["fd00:ec2::254", 128], // AWS IMDS over IPv6
      ["100.100.100.200", 32], // Alibaba Cloud
      ["168.63.129.16", 32], // Azure WireServer: a public address, so no range below holds it
      ["192.0.0.192", 32], // Oracle Cloud (legacy)
    ],
  ],
  [
    "link_local",
    [
      ["169.254.0.0", 16],
      ["fe80::", 10],
    ],
  ],
  [
    "unspecified",
    [
      ["0.0.0.0", 8],
      ["::", 128],
    ],
  ],
  [
    "loopback",
    [
      ["127.0.0.0", 8],
      ["::1", 128],
    ],
  ],
  [
    "private",
    [
      ["10.0.0.0", 8],
      ["172.16.0.0", 12],
      ["192.168.0.0", 16],
      ["fc00::", 7],
      ["fec0::", 10], // deprecated site-local, still routed by some stacks
      ["64:ff9b:1::", 48], // local-use NAT64 (RFC 8215)
    ],
  ],
  ["shared", [["100.64.0.0", 10]]],
  [
    "reserved",
    [
      ["192.0.0.0", 24],
      ["192.0.2.0", 24],
      ["198.18.0.0", 15],
      ["198.51.100.0", 24],
      ["203.0.113.0", 24],
      ["224.0.0.0", 4],
      ["240.0.0.0", 4],
      ["100::", 64],
      ["2001:db8::", 32],
      ["ff00::", 8],
    ],
  ],
];

// BlockList also matches IPv4-mapped IPv6 (::ffff:127.0.0.1) against the IPv4 rules.
const LISTS: Array<[AddressClass, BlockList]> = RANGES.map(([cls, ranges]) => {
  const list = new BlockList();
  for (const [address, prefix] of ranges) {
    const type = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === (type === "ipv6" ? 128 : 32)) list.addAddress(address, type);
    else list.addSubnet(address, prefix, type);
  }
  return [cls, list];
});

/**
 * Host names of metadata services, refused before any DNS query: some resolve only
 * inside the cloud, where asking DNS is already talking to the platform.
 */
const METADATA_NAMES: ReadonlySet<string> = new Set([
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "instance-data",
  "instance-data.ec2.internal",
  "metadata.azure.internal",
]);

/** `::ffff:a.b.c.d` is handled by BlockList; these other IPv6 forms carry an IPv4 address too. */
function embeddedIPv4(ipv6: string): string | null {
  const h = hextets(ipv6);
  if (!h) return null;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zeros = (from: number, to: number) => h.slice(from, to).every((x) => x === 0);
  // IPv4-compatible (::a.b.c.d, deprecated) and IPv4-translated (::ffff:0:a.b.c.d).
  if (zeros(0, 6) && (h[6] !== 0 || h[7] > 1)) return v4(h[6], h[7]);
  if (zeros(0, 4) && h[4] === 0xffff && h[5] === 0) return v4(h[6], h[7]);
  // NAT64 (64:ff9b::/96) reaches the embedded address through the network's translator.
  if (h[0] === 0x64 && h[1] === 0xff9b && zeros(2, 6)) return v4(h[6], h[7]);
  // 6to4 (2002::/16).
  if (h[0] === 0x2002) return v4(h[1], h[2]);
  return null;
}

/** The 8 groups of an IPv6 address; the URL parser writes it in canonical hex form first. */
function hextets(ipv6: string): number[] | null {
  let canonical: string;
  try {
    canonical = new URL(`http://[${ipv6}]`).hostname.slice(1, -1);
  } catch {
    return null;
  }
  const [head, tail] = canonical.split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  return groups.length === 8 ? groups.map((g) => parseInt(g, 16)) : null;
}

function classOf(ip: string, family: 4 | 6): AddressClass | null {
  const type = family === 6 ? "ipv6" : "ipv4";
  for (const [cls, list] of LISTS) if (list.check(ip, type)) return cls;
  return null;
}

/** The class an address is refused for, or null when it may be called. `address`: an IP literal. */
export function refusedClass(address: string, allowPrivate: boolean): AddressClass | null {
  const ip = address.replace(/^\[|\]$/g, "").replace(/%.*$/, ""); // brackets of URLs, zone of fe80::1%eth0
  const family = isIP(ip);
  if (family === 0) return null;
  const own = classOf(ip, family as 4 | 6);
  const inner = family === 6 ? embeddedIPv4(ip) : null;
  const embedded = inner ? classOf(inner, 4) : null;
  for (const cls of [own, embedded]) if (cls && ALWAYS_REFUSED.has(cls)) return cls;
  if (allowPrivate) return null;
  return own ?? embedded;
}

/** Thrown (or passed to a lookup callback) before any connection to a refused address. */
export class BlockedAddressError extends Error {
  readonly code = "N8N_BLOCKED_ADDRESS";
  readonly host: string;
  readonly address: string;
  readonly addressClass: AddressClass;

  constructor(host: string, address: string, addressClass: AddressClass) {
    super(`${host} ${describeRefusal(host, address, addressClass)}`);
    this.name = "BlockedAddressError";
    this.host = host;
    this.address = address;
    this.addressClass = addressClass;
  }

  /** The end of the operator's sentence "n8n at <url> ...", with the fix when there is one. */
  get predicate(): string {
    return describeRefusal(this.host, this.address, this.addressClass);
  }
}

function describeRefusal(host: string, address: string, cls: AddressClass): string {
  const what =
    host === address && isIP(host) === 0
      ? `names a cloud metadata service (${host})`
      : `resolves to ${ADDRESS_CLASS_LABELS[cls]} (${address})`;
  return ALWAYS_REFUSED.has(cls)
    ? `${what}: Flowscope never calls link-local or cloud metadata addresses, whatever N8N_ALLOW_PRIVATE_HOSTS says`
    : `${what}; set N8N_ALLOW_PRIVATE_HOSTS=true if your n8n runs on your own network`;
}

/** How host names resolve; injectable so tests need neither DNS nor the internet. */
export type HostResolver = (hostname: string, options: { family?: number; hints?: number }) => Promise<LookupAddress[]>;

export const systemResolver: HostResolver = (hostname, options) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { family: options.family ?? 0, hints: options.hints, all: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    );
  });

export interface GuardOptions {
  allowPrivate: boolean;
  resolve?: HostResolver;
}

/**
 * Resolves a URL's host and refuses it when any of its addresses is refused. Any, not
 * all: a name that answers with a public and a private address is what DNS rebinding
 * looks like, and which one a connection picks must not decide whether it is safe.
 * IP literals are checked as they are (connections skip DNS for them).
 */
export async function resolveAllowed(
  hostname: string,
  options: GuardOptions,
  lookup: { family?: number; hints?: number } = {},
): Promise<LookupAddress[]> {
  const host = hostname.replace(/^\[|\]$/g, "");
  const literal = isIP(host.replace(/%.*$/, ""));
  if (literal) {
    const cls = refusedClass(host, options.allowPrivate);
    if (cls) throw new BlockedAddressError(host, host, cls);
    return [{ address: host, family: literal }];
  }
  const name = host.toLowerCase().replace(/\.$/, "");
  if (METADATA_NAMES.has(name)) throw new BlockedAddressError(name, name, "metadata");
  const addresses = await (options.resolve ?? systemResolver)(host, lookup);
  for (const { address } of addresses) {
    const cls = refusedClass(address, options.allowPrivate);
    if (cls) throw new BlockedAddressError(host, address, cls);
  }
  return addresses;
}

/**
 * A `lookup` for net/tls.connect that refuses as resolveAllowed does. It runs at the moment
 * of connecting, on the very answer the socket then uses: a DNS answer that changed since
 * an earlier check (rebinding) is caught here.
 */
export function guardedLookup(options: GuardOptions): LookupFunction {
  return (hostname, opts, callback) => {
    const family = opts.family === "IPv4" ? 4 : opts.family === "IPv6" ? 6 : opts.family;
    resolveAllowed(hostname, options, { family, hints: opts.hints }).then(
      (addresses) => {
        if (addresses.length === 0)
          return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), []);
        if (opts.all) return callback(null, addresses);
        callback(null, addresses[0].address, addresses[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, opts.all ? [] : ""),
    );
  };
}

/** An undici dispatcher whose every new connection goes through guardedLookup. */
export function guardedAgent(options: GuardOptions): Agent {
  return new Agent({ connect: { lookup: guardedLookup(options) } });
}

/** Shared pools for the two policies: one Agent per client would never reuse a connection across syncs. */
const sharedAgents = new Map<boolean, Agent>();

export function sharedGuardedAgent(allowPrivate: boolean): Agent {
  let agent = sharedAgents.get(allowPrivate);
  if (!agent) {
    agent = guardedAgent({ allowPrivate });
    sharedAgents.set(allowPrivate, agent);
  }
  return agent;
}
