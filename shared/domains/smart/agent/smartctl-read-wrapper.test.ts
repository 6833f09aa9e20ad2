import { expect, test } from "bun:test";
import { preferSmartctlReadWrapper, SMARTCTL_READ_WRAPPER } from "./smartctl-read-wrapper.ts";

const installed = (path: string): boolean => path === SMARTCTL_READ_WRAPPER;
const absent = (): boolean => false;

test("under sudo, an installed wrapper replaces the configured smartctl (an older install's config)", () => {
  expect(preferSmartctlReadWrapper({ sudo: true, smartctl_path: "/usr/sbin/smartctl" }, installed)).toEqual({
    sudo: true,
    smartctl_path: SMARTCTL_READ_WRAPPER,
  });
});

test("without sudo, or without the wrapper, the options stay as configured", () => {
  const plain = { sudo: false, smartctl_path: "/usr/sbin/smartctl" };
  expect(preferSmartctlReadWrapper(plain, installed)).toBe(plain);
  const noWrapper = { sudo: true, smartctl_path: "/usr/sbin/smartctl" };
  expect(preferSmartctlReadWrapper(noWrapper, absent)).toBe(noWrapper);
});
