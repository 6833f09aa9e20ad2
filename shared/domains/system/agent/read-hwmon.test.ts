import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { readHwmonChips } from "./read-hwmon.ts";

const executor = new LocalExecutor();
const telegrafSys = join(import.meta.dir, "testdata", "telegraf__sys_class_hwmon_general", "sys");

describe("readHwmonChips", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "read-hwmon-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("telegraf capture: name and temperature attributes only, trimmed", async () => {
    const { chips, errors } = await readHwmonChips(executor, telegrafSys);
    expect(errors).toEqual([]);
    const k10temp = chips.find((chip) => chip.dir === "hwmon1");
    // `uevent` is not a temperature attribute and is not read.
    expect(Object.fromEntries(k10temp?.files ?? [])).toEqual({
      name: "k10temp",
      temp1_input: "33250",
      temp1_label: "Tctl",
      temp3_input: "33250",
      temp3_label: "Tccd1",
    });
    expect(chips.find((chip) => chip.dir === "hwmon0")?.files.get("temp2_max")).toBe("65261850");
  });

  test("pre-3.x drivers: attributes under hwmonN/device (derived: the captured k10temp chip moved there)", async () => {
    const chip = join(dir, "class", "hwmon", "hwmon0");
    await mkdir(chip, { recursive: true });
    await cp(join(telegrafSys, "class", "hwmon", "hwmon1"), join(chip, "device"), { recursive: true });
    const { chips } = await readHwmonChips(executor, dir);
    expect(chips.map((c) => [c.dir, c.files.get("name"), c.files.get("temp1_label")])).toEqual([
      ["hwmon0", "k10temp", "Tctl"],
    ]);
  });

  test("an unreadable attribute is reported and left out; the chip's other sensors stay", async () => {
    const hwmon = join(dir, "class", "hwmon");
    await cp(join(telegrafSys, "class", "hwmon"), hwmon, { recursive: true });
    // A directory where a file should be makes that one read fail (EISDIR), like a sensor answering EIO.
    await rm(join(hwmon, "hwmon1", "temp3_input"));
    await mkdir(join(hwmon, "hwmon1", "temp3_input"));
    const { chips, errors } = await readHwmonChips(executor, dir);
    expect(errors).toEqual([expect.objectContaining({ code: ErrorCode.READ_FAILED, source: "hwmon" })]);
    const k10temp = chips.find((c) => c.dir === "hwmon1");
    expect([k10temp?.files.has("temp3_input"), k10temp?.files.get("temp1_input")]).toEqual([false, "33250"]);
  });

  test("no hwmon class directory rejects NOT_FOUND", async () => {
    await expect(readHwmonChips(executor, dir)).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
  });
});
