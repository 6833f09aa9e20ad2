import { describe, expect, test } from "bun:test";
import { loadInfraConfig } from "./config.ts";

const pin = `sha256//${"A".repeat(43)}=`;
const db = { DATABASE_URL: "postgres://u@db:5432/infra" };

describe("loadInfraConfig: an HTTPS collector", () => {
  test("COLLECTOR_CA and COLLECTOR_PIN are read; unset, they are null", () => {
    const config = loadInfraConfig({
      ...db,
      COLLECTOR_URL: "https://hub.lan:9101",
      COLLECTOR_CA: "/x/ca.pem",
      COLLECTOR_PIN: pin,
    });
    expect(config.collectorCaFile).toBe("/x/ca.pem");
    expect(config.collectorPin).toBe(pin);
    expect(loadInfraConfig(db).collectorPin).toBeNull();
    expect(loadInfraConfig(db).collectorCaFile).toBeNull();
  });

  test("a pin that is not sha256//<base64> is refused, naming the variable", () => {
    for (const bad of ["sha256//x'; reboot", "abc", `${pin} `]) {
      expect(() => loadInfraConfig({ ...db, COLLECTOR_PIN: bad })).toThrow(/COLLECTOR_PIN/);
    }
  });
});
