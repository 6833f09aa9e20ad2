import { expect, test } from "bun:test";
import { AppError } from "./errors.ts";
import { COLLECTOR_INBOX_PREFIX, hostInboxPrefix, hostSubjectWildcard } from "./subjects.ts";

test("a host's inbox prefix is its own and never the collector's, whatever the host is called", () => {
  expect(hostInboxPrefix("pi4")).toBe("_INBOX.hosts.pi4");
  expect(hostInboxPrefix("collector")).not.toBe(COLLECTOR_INBOX_PREFIX);
  expect(`${hostInboxPrefix("collector")}.x`.startsWith(`${COLLECTOR_INBOX_PREFIX}.`)).toBe(false);
  expect(hostSubjectWildcard("pi4")).toBe("infra.v1.pi4.>");
});

test("a name that could widen a permission is refused", () => {
  for (const host of ["*", ">", "a.b", "A", ""]) {
    expect(() => hostInboxPrefix(host)).toThrow(AppError);
    expect(() => hostSubjectWildcard(host)).toThrow(AppError);
  }
});
