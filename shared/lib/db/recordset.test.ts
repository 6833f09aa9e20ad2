import { expect, test } from "bun:test";
import { bool, int4, text, textArray, timestamptz } from "./column.ts";
import { insertFromJson, recordsetColumns } from "./recordset.ts";
import { table } from "./table.ts";

const peers = table(
  "peers",
  {
    device_id: int4(),
    name: text().nullable(),
    addresses: textArray().withDefault(),
    last_seen: timestamptz().nullable(),
    online: bool().generatedAlways(),
  },
  { kind: "state", primaryKey: ["device_id"] },
);

test("the recordset's columns and types are the declaration's, generated columns left out", () => {
  expect(recordsetColumns(peers)).toBe(
    "device_id integer, name text, addresses text[], last_seen timestamp with time zone",
  );
  expect(insertFromJson(peers)).toBe(
    "INSERT INTO peers (device_id, name, addresses, last_seen) SELECT device_id, name, addresses, last_seen" +
      " FROM json_to_recordset($1::text::json) AS r(device_id integer, name text, addresses text[], last_seen timestamp with time zone)",
  );
});
