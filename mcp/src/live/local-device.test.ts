import { expect, test } from "bun:test";
import type { DeviceRow } from "../store/store.ts";
import { isLocalDevice, parseLocalDevice } from "./local-device.ts";

const device = (hostname: string, ssh_host: string | null = null): DeviceRow =>
  ({ hostname, ssh_host }) as DeviceRow;

test("MCP_LOCAL_DEVICE: unset or auto matches this machine's hostname, short or full, any case", () => {
  const auto = parseLocalDevice(undefined);
  expect(auto).toEqual({ kind: "auto" });
  expect(parseLocalDevice("auto")).toEqual(auto);
  expect(isLocalDevice(auto, device("nas1"), "nas1")).toBe(true);
  expect(isLocalDevice(auto, device("NAS1"), "nas1.lan")).toBe(true);
  expect(isLocalDevice(auto, device("nas1.lan"), "nas1")).toBe(true);
  expect(isLocalDevice(auto, device("nas2"), "nas1")).toBe(false);
  expect(isLocalDevice(auto, device("nas"), "nas1")).toBe(false);
});

test("MCP_LOCAL_DEVICE names the device, or none turns it off; an SSH target always wins", () => {
  const named = parseLocalDevice("web1");
  expect(named).toEqual({ kind: "named", name: "web1" });
  expect(isLocalDevice(named, device("web1"), "container-4f2a")).toBe(true);
  expect(isLocalDevice(named, device("web2"), "web2")).toBe(false);
  const none = parseLocalDevice("none");
  expect(isLocalDevice(none, device("nas1"), "nas1")).toBe(false);
  expect(isLocalDevice(parseLocalDevice(undefined), device("nas1", "10.0.0.5"), "nas1")).toBe(false);
  expect(isLocalDevice(named, device("web1", "10.0.0.5"), "web1")).toBe(false);
});
