import { expect, test } from "bun:test";
import { plausibleTemperature } from "./temperature.ts";

test("0 C with a limit of 0 (virtual disk, USB bridge) is no sensor: both absent", () => {
  expect(plausibleTemperature(0, 0)).toEqual({ temperature_c: null, temperature_limit_c: null });
  expect(plausibleTemperature(0, null)).toEqual({ temperature_c: null, temperature_limit_c: null });
});

test("a real reading keeps its value; an implausible limit alone is dropped", () => {
  expect(plausibleTemperature(36, 85)).toEqual({ temperature_c: 36, temperature_limit_c: 85 });
  expect(plausibleTemperature(35, 0)).toEqual({ temperature_c: 35, temperature_limit_c: null });
  expect(plausibleTemperature(null, 70)).toEqual({ temperature_c: null, temperature_limit_c: 70 });
  // A drive that really reads 0 C beside its own trip point is believed.
  expect(plausibleTemperature(0, 65)).toEqual({ temperature_c: 0, temperature_limit_c: 65 });
});
