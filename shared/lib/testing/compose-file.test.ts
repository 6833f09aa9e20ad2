// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} is Compose's syntax under test, not a template literal
import { describe, expect, test } from "bun:test";
import {
  ComposeSchema,
  interpolate,
  parseDotEnv,
  portMappings,
  referencedVariables,
  volumeMounts,
} from "./compose-file.ts";

const service = { image: "nats:2.10-alpine", restart: "unless-stopped" as const };

describe("compose file support", () => {
  test("interpolates ${NAME}, ${NAME:?message}, ${NAME:-default} and $$ as Compose does", () => {
    const env = { A: "1", EMPTY: "" };
    expect(interpolate("x${A}y$${A}", env)).toBe("x1y${A}");
    expect(interpolate("${EMPTY:-fallback}", env)).toBe("fallback");
    expect(() => interpolate("${B:?set B in .env}", env)).toThrow("B: set B in .env");
    expect(() => interpolate("${B}", env)).toThrow(/B is not set/);
    expect(() => interpolate("$A", env)).toThrow(/unsupported \$ form/);
    expect(referencedVariables("${A}:${B:?x}@$${C}")).toEqual(["A", "B"]);
  });

  test("reads .env lines and refuses anything else", () => {
    expect(parseDotEnv("# c\n\nA=1\nB=x=y\n")).toEqual({ A: "1", B: "x=y" });
    expect(() => parseDotEnv("A = 1")).toThrow(/line 1/);
  });

  test("the schema refuses misspelt keys, unpinned images and malformed ports", () => {
    const parse = (s: Record<string, unknown>) =>
      ComposeSchema.safeParse({ services: { nats: s }, volumes: {} });
    expect(parse(service).success).toBe(true);
    expect(parse({ ...service, enviroment: { A: "1" } }).success).toBe(false);
    expect(parse({ ...service, image: "nats" }).success).toBe(false);
    expect(parse({ ...service, ports: ["4222"] }).success).toBe(false);
    expect(parse({ ...service, restart: "sometimes" }).success).toBe(false);
  });

  test("ports and volumes", () => {
    const s = {
      ...service,
      ports: ["9100:5432"],
      volumes: ["data:/var/lib/x", "./deploy/y:/etc/y:ro", ".:/app"],
    };
    expect(portMappings(s)).toEqual([{ published: 9100, target: 5432 }]);
    expect(volumeMounts(s)).toEqual([
      { source: "data", target: "/var/lib/x", readOnly: false, bind: false },
      { source: "./deploy/y", target: "/etc/y", readOnly: true, bind: true },
      { source: ".", target: "/app", readOnly: false, bind: true },
    ]);
  });
});
