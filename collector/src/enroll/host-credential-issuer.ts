/**
 * Issues a host's own NATS credentials at enrollment (a `.creds` file: JWT + nkey seed, allowed to
 * publish only under `infra.v1.<host>.>`). Injected, so the enrollment code does not depend on how the
 * credentials are made; without one, enrollment hands out the NATS URL only (see EnrollSettings).
 */
export interface HostCredentialIssuer {
  /**
   * `replace: false` must refuse (ENROLL_HOST_EXISTS) a host that has live credentials, atomically
   * with issuing: enrollment checks first, but two enrollments of one new host may race.
   */
  issue(hostname: string, options: { replace: boolean }): Promise<{ creds: string }>;
}
