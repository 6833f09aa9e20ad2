import type { DomainAnswer } from "../../domain-reader.ts";
import type { Store } from "../../store/store.ts";
import type { DriveJudgement } from "./health-rules.ts";

/**
 * Each device's drives as judged. Stored answers use the smart_drives table: its verdicts include the
 * collector's week-long trends and keep a sleeping disk's last reading. A live answer has only itself.
 */
export async function smartJudgements(
  store: Store,
  answers: readonly DomainAnswer<"smart">[],
): Promise<Map<number, DriveJudgement[]>> {
  const out = new Map<number, DriveJudgement[]>();
  const storedIds = answers.filter((a) => a.provenance.source === "stored").map((a) => a.device.id);
  if (storedIds.length > 0) {
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
        .where("device_id", "in", storedIds)
        .where((eb) => eb.or([eb("verdict", "in", ["warning", "failing"]), eb("status", "=", "failed")]))
        .orderBy("device")
        .execute(),
    );
    for (const r of rows) {
      const list = out.get(r.device_id) ?? [];
      list.push({
        device: r.device,
        label: label(r.device, r.model, r.serial),
        // A drive that failed to read keeps its last verdict in the row: the failure is what is new.
        verdict: r.status === "failed" ? null : r.verdict,
        reasons: r.reasons,
        error:
          r.status === "failed" ? { code: r.error_code ?? "UNKNOWN", message: r.error_message ?? "" } : null,
      });
      out.set(r.device_id, list);
    }
  }
  for (const answer of answers) {
    if (answer.provenance.source !== "live" || answer.data === null) continue;
    out.set(
      answer.device.id,
      answer.data.drives.flatMap((d): DriveJudgement[] => {
        if (!d.ok) return [{ device: d.device, label: d.device, verdict: null, reasons: [], error: d.error }];
        if (d.power_mode === "standby") return [];
        return [
          {
            device: d.device,
            label: label(d.device, d.reading.model, d.reading.serial),
            verdict: d.verdict,
            reasons: d.reasons,
            error: null,
          },
        ];
      }),
    );
  }
  return out;
}

function label(device: string, model: string | null, serial: string | null): string {
  const what = [model, serial].filter(Boolean).join(" ");
  return what === "" ? device : `${device} (${what})`;
}
