import type { SmartVerdict } from "@infrastructor/domains/smart/schema.ts";
import type { Provenance } from "@infrastructor/mcp/answer/provenance.ts";
import type { DomainAnswer } from "@infrastructor/mcp/domain-reader.ts";
import type { Store } from "@infrastructor/mcp/store/store.ts";
import type { DomainHealth } from "@infrastructor/mcp/tools/fleet/domain-health.ts";
import { finding, type JudgedFinding } from "@infrastructor/mcp/tools/fleet/finding.ts";
import { driveVerdictSeverity } from "@infrastructor/mcp/tools/fleet/severity.ts";

/**
 * Each device's drives as judged, from the smart_drives table: its verdicts include the collector's
 * week-long trends and keep a sleeping disk's last reading. Only drives with something to say (a
 * warning or failing verdict, a failed read). Read for every device at once, before it is known which
 * answers stay stored: a device read live is judged by liveDriveJudgements instead.
 */
export async function storedDriveJudgements(
  store: Store,
  deviceIds: readonly number[],
): Promise<Map<number, DriveJudgement[]>> {
  const out = new Map<number, DriveJudgement[]>();
  if (deviceIds.length === 0) return out;
  const rows = await store.guard("smart drives", () =>
    store.db
      .selectFrom("smart_drives")
      .select([
        "device_id",
        "device",
        "model",
        "serial",
        "status",
        "verdict",
        "reasons",
        "error_code",
        "error_message",
      ])
      .where("device_id", "in", [...deviceIds])
      .where((eb) => eb.or([eb("verdict", "in", ["warning", "failing"]), eb("status", "=", "failed")]))
      .orderBy("device")
      .execute(),
  );
  for (const r of rows) {
    const list = out.get(r.device_id) ?? [];
    list.push({
      device: r.device,
      label: label(r.device, r.model, r.serial),
      model: r.model,
      serial: r.serial,
      // A drive that failed to read keeps its last verdict in the row: the failure is what is new.
      verdict: r.status === "failed" ? null : r.verdict,
      reasons: r.reasons,
      error:
        r.status === "failed" ? { code: r.error_code ?? "UNKNOWN", message: r.error_message ?? "" } : null,
    });
    out.set(r.device_id, list);
  }
  return out;
}

/** A live answer has only itself: its drives as this reading judged them (a sleeping disk says nothing). */
export function liveDriveJudgements(answer: DomainAnswer<"smart">): DriveJudgement[] {
  if (answer.data === null) return [];
  return answer.data.drives.flatMap((d): DriveJudgement[] => {
    if (!d.ok)
      return [
        {
          device: d.device,
          label: d.device,
          model: null,
          serial: null,
          verdict: null,
          reasons: [],
          error: d.error,
        },
      ];
    if (d.power_mode === "standby") return [];
    return [
      {
        device: d.device,
        label: label(d.device, d.reading.model, d.reading.serial),
        model: d.reading.model,
        serial: d.reading.serial,
        verdict: d.verdict,
        reasons: d.reasons,
        error: null,
      },
    ];
  });
}

function label(device: string, model: string | null, serial: string | null): string {
  const what = [model, serial].filter(Boolean).join(" ");
  return what === "" ? device : `${device} (${what})`;
}

/** One drive as judged: from the smart_drives table (with trends, and sleeping disks' last reading) or a live read. */
export interface DriveJudgement {
  device: string;
  label: string;
  model: string | null;
  serial: string | null;
  verdict: SmartVerdict | null;
  reasons: readonly string[];
  error: { code: string; message: string } | null;
}

export function driveFindings(p: Provenance, drives: readonly DriveJudgement[]): JudgedFinding[] {
  return drives.flatMap((d): JudgedFinding[] => {
    if (d.error !== null)
      return [
        finding(
          p,
          "drive_unreadable",
          "info",
          `drive ${d.label} unreadable`,
          `${d.error.code}: ${d.error.message}`,
        ),
      ];
    const severity = driveVerdictSeverity(d.verdict);
    if (severity === null) return [];
    const failing = severity === "critical";
    const f = finding(
      p,
      failing ? "drive_failing" : "drive_degrading",
      severity,
      `drive ${d.label} ${failing ? "failing" : "degrading"}`,
      d.reasons.join("; "),
      d.reasons.length,
    );
    return [{ ...f, hints: { drive: { device: d.device, model: d.model, serial: d.serial } } }];
  });
}

/**
 * smart: drives failing, degrading or unreadable. A stored answer in the fleet check is judged by the
 * smart_drives table (trends, sleeping disks' last reading); a live one, or a payload alone, by itself.
 */
export const smartHealth: DomainHealth<"smart"> = {
  findings(answer, ctx) {
    const p = answer.provenance;
    if (ctx.tables === null || p.source === "live") return driveFindings(p, liveDriveJudgements(answer));
    if (p.source !== "stored") return [];
    return driveFindings(p, ctx.tables.history.drives.get(answer.device.id) ?? []);
  },
};
