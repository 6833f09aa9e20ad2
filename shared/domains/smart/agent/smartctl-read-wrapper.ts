import { existsSync } from "node:fs";

/**
 * install.sh's root-owned wrapper around smartctl (deploy/smart/smartctl-read): the one command its
 * sudo rule allows. It re-checks the argv shapes of read.ts and the patterns of device-ref.ts.
 */
export const SMARTCTL_READ_WRAPPER = "/usr/local/libexec/infrastructor/smartctl-read";

export interface SmartctlSelection {
  smartctl_path?: string;
  sudo?: boolean;
}

/**
 * Under sudo, the wrapper when it is installed, whatever smartctl_path says: a config written by an
 * older install.sh names smartctl itself, which the new sudo rule no longer allows.
 */
export function preferSmartctlReadWrapper<T extends SmartctlSelection>(
  options: T,
  exists: (path: string) => boolean = existsSync,
): T {
  if (options.sudo !== true || !exists(SMARTCTL_READ_WRAPPER)) return options;
  return { ...options, smartctl_path: SMARTCTL_READ_WRAPPER };
}
