import { expect, test } from "bun:test";
import { bool, float4, int4, int8, jsonb, text, textArray, timestamptz } from "./column.ts";
import { copyEncoder } from "./copy-encoder.ts";
import { table } from "./table.ts";

const samples = table(
  "samples",
  {
    time: timestamptz(),
    device_id: int4(),
    name: text(),
    read_errors: int8().nullable(),
    write_errors: int8().nullable(),
    ratio: float4().nullable(),
    ok: bool(),
    extra: jsonb().nullable(),
  },
  { kind: "timeseries", primaryKey: ["device_id", "name", "time"] },
);

test("a line follows the declared order, whatever order the row object names its values in", () => {
  const line = copyEncoder(samples);
  expect(
    line({
      write_errors: 2,
      read_errors: 1,
      name: "tank",
      extra: null,
      ok: true,
      ratio: 1.5,
      device_id: 7,
      time: "2026-11-25T00:00:00.000Z",
    }),
  ).toBe("2026-11-25T00:00:00.000Z\t7\ttank\t1\t2\t1.5\tt\t\\N\n");
});

test("null and undefined are \\N, text is escaped, a Date is ISO, jsonb is its JSON text", () => {
  const line = copyEncoder(samples);
  expect(
    line({
      time: new Date("2026-11-25T00:00:00Z"),
      device_id: 7,
      name: "odd\tname\\",
      read_errors: undefined,
      write_errors: null,
      ratio: 0,
      ok: false,
      extra: { a: "b\nc" },
    }),
  ).toBe('2026-11-25T00:00:00.000Z\t7\todd\\tname\\\\\t\\N\t\\N\t0\tf\t{"a":"b\\\\nc"}\n');
});

test("columns COPY cannot take are refused when the encoder is built, not per row", () => {
  const arrays = table("arrays", { tags: textArray() }, { kind: "timeseries", primaryKey: [] });
  expect(() => copyEncoder(arrays)).toThrow("arrays.tags: no COPY encoding for text[]");
  const generated = table("g", { x: bool().generatedAlways() }, { kind: "timeseries", primaryKey: [] });
  expect(() => copyEncoder(generated)).toThrow("g.x: a generated column is never written");
  const quoted = table("q", { "a b": int4() }, { kind: "timeseries", primaryKey: [] });
  expect(() => copyEncoder(quoted)).toThrow("q.a b: not a plain identifier");
});
