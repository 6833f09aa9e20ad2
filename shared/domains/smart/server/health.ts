import type { DomainAnswer } from "@infrastructor/mcp/domain-reader.ts";
import type { Store } from "@infrastructor/mcp/store/store.ts";
import type { DriveJudgement } from "@infrastructor/mcp/tools/fleet/health-rules.ts";

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
