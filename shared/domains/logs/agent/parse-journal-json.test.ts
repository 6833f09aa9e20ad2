import { describe, expect, test } from "bun:test";
import { failure } from "@infrastructor/lib/testing/failure.ts";
import { LogEntrySchema } from "../schema.ts";
import { parseJournalJson, parseJournalLine } from "./parse-journal-json.ts";
import { testdata } from "./testing/captures.ts";

describe("parseJournalJson (handwritten lines in journalctl's JSON format)", () => {
  test("fields, units, byte-array and repeated values, a null message", async () => {
    const { items: records, errors } = parseJournalJson(
      await testdata("handwritten-journal/journal-json.json"),
    );
    expect(errors).toEqual([]);
    expect(records).toHaveLength(5);
    for (const r of records) LogEntrySchema.parse(r.entry);
    const [sshd, kernel, backup, myapp, systemd] = records.map((r) => r.entry);
    expect(sshd).toMatchObject({
      time: "2025-11-24T22:00:00.123Z",
      priority: 3,
      facility: 4,
      hostname: "homelab1",
      unit: "ssh.service",
      identifier: "sshd",
      pid: 48211,
      message: "error: kex_exchange_identification: Connection closed by remote host",
    });
    expect(sshd?.entry_id).toMatch(/^j:[A-Za-z0-9_-]{22}$/);
    expect(kernel).toMatchObject({ unit: "", identifier: "kernel", pid: null, priority: 4, facility: 0 });
    expect(backup?.message).toBe("café \uFFFD!");
    expect(backup?.facility).toBeNull();
    expect(myapp).toMatchObject({ identifier: "myapp", message: "" });
    expect(systemd?.unit).toBe("nginx.service");
    expect(records[0]?.cursor).toStartWith("s=739ad463348b4ceca5a9e69c95a3c93f;i=4ece7;");
    expect(new Set(records.map((r) => r.entry.entry_id)).size).toBe(5);
  });

  test("a line cut off, or JSON that is not an entry, fails naming the line", async () => {
    const text = await testdata("handwritten-journal/journal-json.json");
    const cut = text.slice(0, text.indexOf("\n", text.indexOf("\n") + 1) + 40);
    // The two whole lines are read; the cut one is an item error naming its line.
    const parsed = parseJournalJson(cut);
    expect(parsed.items).toHaveLength(2);
    expect(parsed.errors).toMatchObject([{ name: null, error: { code: "PARSE_FAILED", line: 3 } }]);
    expect(failure(() => parseJournalLine('{"MESSAGE":"x"}', 7)).message).toBe(
      "journalctl -o json: no __CURSOR or __REALTIME_TIMESTAMP (line 7)",
    );
    expect(failure(() => parseJournalLine("[1,2]", 1)).code).toBe("PARSE_FAILED");
  });
});
