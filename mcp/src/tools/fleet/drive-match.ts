/**
 * Which disk a ZFS vdev is. zpool names a member the way it was added: a kernel name (`sdc`, `sdc1`,
 * `nvme0n1p1`), a /dev/disk/by-id name (`ata-<model>_<serial>`, `nvme-<model>_<serial>`,
 * `scsi-S<vendor>_<model>_<serial>`, `usb-...`, each maybe `-partN`), a full path to either, or, once
 * the disk is gone, a GUID with the old path in its note (`was /dev/disk/by-id/ata-..-part1`).
 * smartctl names the disk by its kernel path (`/dev/sdc`, `/dev/nvme0`) and reports model and serial.
 */
export interface DriveIdentity {
  device: string;
  model: string | null;
  serial: string | null;
  /**
   * The World Wide Name as udev writes it (`0x5000c500c65ac66f`), for `wwn-0x...` vdevs. The smart
   * domain does not carry it yet (smartctl's `wwn` object): until it does, such pools match by nothing.
   */
  wwn?: string | null;
}

/** The names a vdev line gives its disk: its own, and the path of a `was <path>` note. */
export function vdevNames(vdev: { name: string; note: string | null }): string[] {
  const was = vdev.note?.match(/\bwas (\S+)/)?.[1];
  return was === undefined ? [vdev.name] : [vdev.name, was];
}

/** The whole disk a vdev name points at: the last path element without its partition suffix. */
export function diskOf(vdevName: string): string {
  const base = vdevName.split("/").at(-1) ?? vdevName;
  if (/-part\d+$/.test(base)) return base.replace(/-part\d+$/, "");
  const nvme = base.match(/^(nvme\d+n\d+)p\d+$/);
  if (nvme?.[1] !== undefined) return nvme[1];
  const scsi = base.match(/^((?:sd|vd|xvd|hd)[a-z]+)\d+$/);
  return scsi?.[1] ?? base;
}

const BY_ID = /^(ata|sata|scsi|nvme|usb|virtio|mmc|ide)-/;

export function vdevMatchesDrive(vdevName: string, drive: DriveIdentity): boolean {
  const disk = diskOf(vdevName);
  const kernel = drive.device.split("/").at(-1) ?? drive.device;
  if (disk === kernel) return true;
  if (drive.wwn && disk.toLowerCase() === `wwn-${drive.wwn.toLowerCase()}`) return true;
  // smartctl reads an NVMe controller (/dev/nvme0); the pool holds one of its namespaces (nvme0n1).
  if (
    /^nvme\d+$/.test(kernel) &&
    disk.startsWith(`${kernel}n`) &&
    /^\d+$/.test(disk.slice(kernel.length + 1))
  )
    return true;
  const serial = drive.serial?.trim().replace(/\s+/g, "_");
  if (serial === undefined || serial === "" || !BY_ID.test(disk)) return false;
  // udev ends every by-id name of a disk with its serial (spaces as underscores).
  return disk.endsWith(`_${serial}`) || disk.endsWith(`-${serial}`);
}
