import type { Rule } from "./severity.ts";

/**
 * What to do first about a finding of each rule: one line, a command where one helps. Alert messages
 * end with it (issue 15: what, where, since when, how bad, and what to do first), so a person paged at
 * night starts from the right place. Kept beside RULES so a new rule gets its line in the same change
 * (first-steps.test.ts holds every rule to one).
 */
export const FIRST_STEPS: { readonly [R in Rule]: string } = {
  pool_member_failing:
    "The failing drive is a member of this pool: replace it now (`zpool replace POOL OLD NEW`); the pool has less redundancy until the resilver ends.",
  pool_state:
    "Run `zpool status -v POOL` on the host: find the FAULTED/UNAVAIL member, check its cable and SMART, then `zpool replace` or `zpool online` it.",
  permanent_errors:
    "Run `zpool status -v POOL`: restore the files it lists from backup, then `zpool clear POOL` and scrub again.",
  drive_failing:
    "Back up what is on this drive and replace it; `smartctl -a DEVICE` shows which attributes failed.",
  kernel_io_errors:
    "Look at `journalctl -k` around the time given: I/O errors name the device; check its cable, controller and SMART.",
  vdev_errors:
    "Run `zpool status POOL` to see which device counts errors; check its SMART and cable, then `zpool clear POOL` and scrub to confirm.",
  scrub_repaired:
    "A scrub repaired data: check the members' SMART and cables for a device that returns bad data.",
  scrub_errors:
    "A scrub found errors it could not repair: run `zpool status -v POOL` and restore the files it names.",
  drive_degrading:
    "Watch this drive and make sure its data is backed up; `smartctl -a DEVICE` shows the attributes that grew.",
  backup_never_succeeded:
    "Run the backup job by hand on the host and read its output: it has never completed since it is watched.",
  backup_failed:
    "Run the backup job by hand on the host and read its error; check the repository and its credentials.",
  backup_late: "Check the backup's schedule (systemd timer or cron) on the host and when it last ran.",
  temperature:
    "Check the machine's airflow and fans now (dust, a stopped fan, a blocked vent); `sensors` shows every reading and its limits.",
  fleet_silent:
    "No host has reported for a while: check NATS and the collector first (`systemctl status nats infrastructor-collector`, `/health`), then the network between the hosts and them.",
  host_down:
    "Check the host is up and reachable, then the agent: `systemctl status infrastructor-agent` and `journalctl -u infrastructor-agent`.",
  container_restarting:
    "Read the container's logs (`get_container_logs` or `docker logs CONTAINER`) for why it exits.",
  restart_loop:
    "Read the container's last logs for why it keeps exiting; a failing health check or a missing dependency is common.",
  oom_kill:
    "A process was killed for lack of memory: find it in `journalctl -k`, then raise its limit or the host's memory.",
  ups_low_battery:
    "The UPS battery is nearly empty: shut down what must not lose power uncleanly, now; restore mains power.",
  ups_replace_battery:
    "The UPS asks for a new battery: order one and replace it; its runtime is no longer to be trusted.",
  ups_overload: "The UPS is overloaded: move loads off it until `ups.load` is well under 100 %.",
  ups_on_battery: "The UPS runs on battery: check mains power and how long its runtime gives you.",
  container_exited:
    "Read the container's logs for why it exited non-zero, then restart it (`docker compose up -d`).",
  depends_on_down: "Start the service it depends on first, then this one (`docker compose up -d`).",
  container_dead: "Remove and recreate the container (`docker compose up -d --force-recreate SERVICE`).",
  container_unhealthy:
    "Read the container's health check output (`docker inspect CONTAINER`, State.Health) and its logs.",
  fs_full_soon:
    "Find what grows (`du -xh --max-depth=2 MOUNT | sort -h`) and clean or extend it before it fills.",
  disk_full:
    "Find what fills the mount (`du -xh --max-depth=2 MOUNT | sort -h`) and free space or extend it.",
  inodes_full:
    "Find the directory with the most files (`du --inodes -x --max-depth=3 MOUNT | sort -n | tail`): often a cache, mail queue or session store; clean it.",
  pool_full:
    "Free space in the pool (old snapshots: `zfs list -t snapshot -o name,used -s used`) or add capacity.",
  memory: "Find the processes using memory (`ps aux --sort=-rss | head`); add memory or limit them.",
  cpu: "Find what uses the CPU (`top`, or `get_container_details` for a container) and whether it is expected.",
  security_updates: "Install the security updates (`apt upgrade` / `dnf upgrade`) and reboot if asked.",
  reboot_required: "Reboot the host when convenient: updates wait for it.",
  other_updates: "Install the pending updates at the next maintenance window.",
  outdated_images:
    "Pull the newer images and recreate the containers (`docker compose pull && docker compose up -d`).",
  drive_unreadable:
    "Check that smartctl can read the drive (`smartctl -a DEVICE` as root) and the agent's privileges.",
  source_unreadable: "Run the command the evidence names on the host and read its error.",
  collection_failing:
    "Read the agent's log on the host (`journalctl -u infrastructor-agent`) for the failing collector.",
  live_read_failed:
    "Check the device's SSH target (`bun mcp/src/cli.ts set-target`) and that the host is reachable.",
};

/** The first step for a rule; a rule the list does not know gets the health check's general advice. */
export function firstStep(rule: string): string {
  return (FIRST_STEPS as Record<string, string>)[rule] ?? "Look at the evidence on the host.";
}
