/**
 * Issues a host's own NATS credentials at enrollment (a `.creds` file: JWT + nkey seed, allowed to
 * publish only under `infra.v1.<host>.>`). Injected, so the enrollment code does not depend on how the
 * credentials are made; without one, enrollment hands out the NATS URL only (see EnrollSettings).
 */
export interface HostCredentialIssuer {
  issue(hostname: string): Promise<{ creds: string }>;
}
