/**
 * TLS options for nats.js. With `tls` set, nats.js refuses a server that does not offer TLS (so an
 * impostor cannot downgrade the link to plain text and read the credentials' handshake), and verifies the
 * certificate against the CA file (the collector's own site CA, handed out at enrollment), or against the
 * system's CAs for a `tls://` URL without one.
 */
export function natsTls(servers: string | string[], caFile: string | null): { tls?: { caFile?: string } } {
  if (caFile !== null) return { tls: { caFile } };
  const list = Array.isArray(servers) ? servers : [servers];
  return list.some((url) => url.startsWith("tls://")) ? { tls: {} } : {};
}
