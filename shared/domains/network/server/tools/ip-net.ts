/**
 * The network (CIDR) an interface address belongs to: `192.0.2.10/24` -> `192.0.2.0/24`,
 * `fd00::2/64` -> `fd00::/64`. Addresses come validated from the network schema (zod ipv4/ipv6).
 */
export function subnetOf(address: string, prefixLen: number): string | null {
  if (address.includes(":")) {
    const value = parseIpv6(address);
    if (value === null) return null;
    const bits = BigInt(Math.min(Math.max(prefixLen, 0), 128));
    const mask = bits === 0n ? 0n : ((1n << bits) - 1n) << (128n - bits);
    return `${formatIpv6(value & mask)}/${bits}`;
  }
  const parts = address.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return null;
  const bits = Math.min(Math.max(prefixLen, 0), 32);
  const value = parts.reduce((acc, p) => acc * 256 + p, 0);
  const size = 2 ** (32 - bits);
  const net = Math.floor(value / size) * size;
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(net / 2 ** shift) % 256);
  return `${octets.join(".")}/${bits}`;
}

function parseIpv6(address: string): bigint | null {
  const [head = "", tail] = address.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
  // An embedded IPv4 tail (::ffff:192.0.2.1) is two groups.
  const expand = (groups: string[]): string[] =>
    groups.flatMap((g) => {
      if (!g.includes(".")) return [g];
      const [a = 0, b = 0, c = 0, d = 0] = g.split(".").map(Number);
      return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    });
  const h = expand(headGroups);
  const t = expand(tailGroups);
  const missing = 8 - h.length - t.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return null;
  const groups = [...h, ...Array<string>(missing).fill("0"), ...t];
  let value = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    value = (value << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return value;
}

function formatIpv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - i * 16)) & 0xffffn));
  // The longest run of two or more zero groups becomes "::" (RFC 5952).
  let best = { start: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > best.len && j - i >= 2) best = { start: i, len: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(":");
  return `${hex.slice(0, best.start).join(":")}::${hex.slice(best.start + best.len).join(":")}`;
}
