import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import type { Virtualization } from "../schema.ts";

/** systemd-detect-virt's container identifiers (systemd.io/CONTAINER_INTERFACE and its man page). */
const CONTAINERS = new Set([
  "openvz",
  "lxc",
  "lxc-libvirt",
  "systemd-nspawn",
  "docker",
  "podman",
  "rkt",
  "wsl",
  "proot",
  "pouch",
]);

/**
 * Parses `systemd-detect-virt` stdout: one identifier (`kvm`, `docker`, `none`). It exits 1 when it
 * prints `none`, so the caller passes stdout whatever the exit code.
 */
export function parseDetectVirt(text: string): Virtualization {
  const id = text.trim();
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(id)) {
    throw parseFailed("systemd-detect-virt", "output is not one identifier", { line: 1, excerpt: text });
  }
  if (id === "none") return { kind: "none", technology: null, method: "systemd-detect-virt" };
  const kind = CONTAINERS.has(id) ? "container" : "vm";
  return { kind, technology: id, method: "systemd-detect-virt" };
}

/** DMI vendor/product strings hypervisors put in the firmware tables, and their systemd-style names. */
const DMI_VENDORS: readonly [RegExp, string][] = [
  [/^QEMU/i, "qemu"],
  [/^KVM/i, "kvm"],
  [/^VMware/i, "vmware"],
  [/VirtualBox|^innotek/i, "oracle"],
  [/^Xen/i, "xen"],
  [/^Bochs/i, "bochs"],
  [/^Parallels/i, "parallels"],
  [/^Amazon EC2/i, "amazon"],
  [/^Google Compute Engine/i, "google"],
  [/^Microsoft Corporation Virtual Machine/i, "microsoft"],
  [/^OpenStack/i, "kvm"],
  [/^BHYVE/i, "bhyve"],
];

/**
 * Without systemd-detect-virt: the DMI sys_vendor/product_name (x86 and some ARM servers), then the
 * cpuinfo `hypervisor` flag. `dmi` is null when /sys/class/dmi/id is not readable.
 */
export function classifyVirt(
  dmi: { vendor: string; product: string } | null,
  hypervisorFlag: boolean | null,
): Virtualization {
  if (dmi !== null) {
    for (const [pattern, name] of DMI_VENDORS) {
      const product = `${dmi.vendor.trim()} ${dmi.product.trim()}`;
      if (pattern.test(dmi.vendor.trim()) || pattern.test(dmi.product.trim()) || pattern.test(product)) {
        return { kind: "vm", technology: name, method: "dmi" };
      }
    }
  }
  if (hypervisorFlag === true) return { kind: "vm", technology: null, method: "cpuinfo" };
  if (dmi !== null && hypervisorFlag === false) return { kind: "none", technology: null, method: "dmi" };
  return { kind: "unknown", technology: null, method: "none" };
}
