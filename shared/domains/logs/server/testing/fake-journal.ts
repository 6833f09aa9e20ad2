import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ScriptedExecutor } from "@infrastructor/lib/testing/scripted-executor.ts";

/**
 * Test support for get_system_logs. `syslogLines`: RFC 5424 lines stamped relative to `now` (what a
 * syslog file holds), one of them old and one longer than the answer's message cap. `fakeJournal`:
 * this machine has journalctl but no journal, so journalctl answers from the logs collector's captured
 * `journalctl -o json` lines (plus 100 large entries of big.service), doing what journalctl does with
 * `-u`, `--since @s`, `-n`, `-r` and `--priority`; everything else runs for real.
 */
export function syslogLines(now: number): string {
  const at = (agoMs: number): string => new Date(now - agoMs).toISOString();
  const min = 60_000;
  return [
    `<11>1 ${at(3 * 86_400_000)} alpha sshd 1 - - old failure from three days ago`,
    `<11>1 ${at(30 * min)} alpha sshd 812 - - error: kex_exchange_identification: Connection closed by remote host`,
    `<12>1 ${at(20 * min)} alpha nginx 913 - - upstream timed out while reading response header`,
    `<14>1 ${at(10 * min)} alpha CRON 4711 - - (root) CMD (run-parts /etc/cron.hourly)`,
    `<10>1 ${at(5 * min)} alpha kernel - - - EXT4-fs error (device sdb1): ext4_find_entry:1455`,
    `<12>1 ${at(1 * min)} alpha nginx 913 - - ${"x".repeat(6000)}`,
    "",
  ].join("\n");
}

interface FakeJournal {
  executor: ScriptedExecutor;
}

const FIXTURE = join(import.meta.dir, "../../agent/testcases/handwritten-journal/journal-json.json");

export function fakeJournal(): FakeJournal {
  const captured = readFileSync(FIXTURE, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");
  const start = Date.now() - 3_600_000;
  const big = Array.from({ length: 100 }, (_, i) =>
    JSON.stringify({
      __CURSOR: `s=big;i=${i}`,
      __REALTIME_TIMESTAMP: String((start + i * 1000) * 1000),
      PRIORITY: "6",
      _SYSTEMD_UNIT: "big.service",
      SYSLOG_IDENTIFIER: "big",
      _HOSTNAME: "alpha",
      MESSAGE: `entry ${i} ${"y".repeat(4000)}`,
    }),
  );
  const all = [...captured, ...big];
  const executor = new ScriptedExecutor(
    (argv) => {
      if (argv[0] !== "journalctl") return undefined;
      const value = (flag: string): string | undefined => argv[argv.indexOf(flag) + 1];
      const unit = value("-u");
      const since = Number(value("--since")?.replace("@", "") ?? "0") * 1_000_000;
      const n = Number(value("-n") ?? "10");
      const priority = argv.find((a) => a.startsWith("--priority="));
      const max =
        priority === undefined
          ? 7
          : ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"].indexOf(
              priority.slice(11),
            );
      const matching = all.filter((line) => {
        const e = JSON.parse(line) as Record<string, unknown>;
        return (
          (e.UNIT === unit || (e.UNIT === undefined && e._SYSTEMD_UNIT === unit)) &&
          Number(e.__REALTIME_TIMESTAMP) >= since &&
          Number(e.PRIORITY ?? 6) <= max
        );
      });
      const tail = matching.slice(-n);
      if (argv.includes("-r")) tail.reverse();
      return { stdout: tail.map((l) => `${l}\n`).join("") };
    },
    { unscripted: "local" },
  );
  return { executor };
}
