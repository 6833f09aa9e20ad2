import { expect, test } from "bun:test";
import { isPrintableLine, printableLine, printableText } from "./printable.ts";

test("terminal escapes, C1 controls, line breaks and bidirectional overrides become spaces", () => {
  expect(printableLine("/mnt/\u001b]0;owned\u0007disk")).toBe("/mnt/ ]0;owned disk");
  expect(printableLine("a\u009b31mb")).toBe("a 31mb");
  expect(printableLine("web\r\nX-Header: forged")).toBe("web X-Header: forged");
  expect(printableLine("invoice\u202egpj.exe")).toBe("invoice gpj.exe");
  expect(printableLine("a\u2066b\u2069c\u2028d")).toBe("a b c d");
  expect(printableText("line one\n\tline two\u001b[2J")).toBe("line one\n\tline two [2J");
});

test("ordinary text of any script, quotes and symbols stay as they are", () => {
  for (const s of ['/mnt/bob\'s "media" $HOME', "Données/été", "ディスク", "a|b;c&d<e>", "emoji 💾"]) {
    expect(printableLine(s)).toBe(s);
    expect(isPrintableLine(s)).toBe(true);
  }
  expect(isPrintableLine("tab\there")).toBe(false);
});
