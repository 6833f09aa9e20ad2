import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import { type ItemsParse, itemError } from "@infrastructor/lib/collect/parse-items.ts";
import { wholeLines } from "@infrastructor/lib/collect/whole-lines.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { UPS_NAME, type Ups } from "../schema.ts";

/** One UPS as `upsc <name>` describes it; the collector adds the name it asked for. */
export type UpsReading = Omit<Ups, "name">;

/** `upsc -l`: one UPS name per line. A name that could not be passed to upsc is an item error. */
export function parseUpscList(text: string): ItemsParse<string> {
  const out: ItemsParse<string> = { items: [], errors: [] };
  for (const { line, text: raw } of wholeLines(text, "upsc -l")) {
    const name = raw.trim();
    if (name === "") continue;
    if (UPS_NAME.test(name)) out.items.push(name);
    else {
      const err = new AppError(
        ErrorCode.PARSE_FAILED,
        "upsc -l: not a NUT UPS name (letters, digits, _ - .)",
      );
      out.errors.push(itemError({ name: null, line, text: raw }, err));
    }
  }
  return out;
}

interface Variable {
  value: string;
  line: number;
}

/** NUT variable names: dotted lower-case words (`battery.charge`, `outlet.1.status`). */
const VAR_NAME = /^[a-zA-Z0-9_]+(?:\.[a-zA-Z0-9_]+)*$/;

/**
 * `upsc <name>`: `variable: value` lines. A line of another shape, or a variable twice (two dumps run
 * together), is not upsc's output: refused naming the line.
 */
export function parseUpsc(text: string): UpsReading {
  const vars = new Map<string, Variable>();
  for (const { line, text: raw } of wholeLines(text, "upsc")) {
    if (raw.trim() === "") continue;
    const colon = raw.indexOf(": ");
    const name = colon < 0 ? "" : raw.slice(0, colon);
    if (!VAR_NAME.test(name))
      throw parseFailed("upsc", "not a `variable: value` line", { line, excerpt: raw });
    if (vars.has(name)) throw parseFailed("upsc", `${name} given twice`, { line, excerpt: raw });
    // Drivers pad some values (`ups.load:   0.2`); the padding is not part of the value.
    vars.set(name, { value: raw.slice(colon + 2).trim(), line });
  }
  if (vars.size === 0) throw parseFailed("upsc", "no variables");
  const status = vars.get("ups.status");
  if (status === undefined) throw parseFailed("upsc", "no ups.status variable");
  const textOf = (...names: string[]): string | null => {
    for (const n of names) {
      const v = vars.get(n)?.value;
      if (v !== undefined && v !== "") return v.slice(0, 256);
    }
    return null;
  };
  const numberOf = (...names: string[]): number | null => {
    for (const n of names) {
      const v = vars.get(n);
      if (v === undefined) continue;
      const value = Number(v.value);
      if (v.value === "" || !Number.isFinite(value)) {
        throw parseFailed("upsc", `${n} is not a number`, { line: v.line, excerpt: `${n}: ${v.value}` });
      }
      return value;
    }
    return null;
  };
  return {
    status: status.value.slice(0, 256),
    alarm: textOf("ups.alarm"),
    battery_charge_pct: numberOf("battery.charge"),
    battery_runtime_s: numberOf("battery.runtime"),
    battery_voltage_v: numberOf("battery.voltage"),
    load_pct: numberOf("ups.load"),
    input_voltage_v: numberOf("input.voltage"),
    output_voltage_v: numberOf("output.voltage"),
    temperature_c: numberOf("ups.temperature", "battery.temperature"),
    model: textOf("device.model", "ups.model"),
    mfr: textOf("device.mfr", "ups.mfr"),
    serial: textOf("device.serial", "ups.serial"),
  };
}
