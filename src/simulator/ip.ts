/** IP allowlists: new-api's `allow_ips` (newline-separated IPs/CIDRs) and one-api's `subnet` (comma-separated CIDRs). */

function ipv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** A plain IPv4/IPv6 address, or an IPv4 CIDR; IPv6 only matches exactly. */
function matches(ip: string, entry: string): boolean {
  const [base, bits] = entry.split('/');
  if (bits === undefined) return base === ip;
  const a = ipv4(ip);
  const b = ipv4(base ?? '');
  const n = Number(bits);
  if (a === undefined || b === undefined || !/^\d+$/.test(bits) || n > 32) return false;
  const size = 2 ** (32 - n);
  return Math.floor(a / size) === Math.floor(b / size);
}

export const ipAllowed = (ip: string, entries: string[]): boolean => entries.some((e) => matches(ip, e));

/** new-api `GetIpLimits`: one entry per line, spaces and commas stripped (so "a,b" on one line is one broken entry). */
export const newApiIpLimits = (allowIps: string): string[] => allowIps.split('\n').map((s) => s.replace(/[\s,]/g, '')).filter(Boolean);
export const oneApiSubnets = (subnet: string): string[] => subnet.split(',').map((s) => s.trim()).filter(Boolean);

/** one-api `IsValidSubnets`: every comma-separated entry must be a CIDR; returns Go's error text or undefined. */
export function subnetError(subnet: string): string | undefined {
  const bad = oneApiSubnets(subnet).find((s) => {
    const [base, bits] = s.split('/');
    return bits === undefined || !/^\d+$/.test(bits) || ipv4(base ?? '') === undefined || Number(bits) > 32;
  });
  return bad === undefined ? undefined : `failed to parse subnet: invalid CIDR address: ${bad}`;
}
