/**
 * Prints each failed test of a bun junit report with its error, for the end of a test log.
 *
 * A CI log is often kept only by its tail, and bun prints a failure's error where it happened, minutes
 * of output earlier; the summary at the end names the test only. This puts the errors after it.
 * Usage: bun scripts/lib/failure-digest.ts REPORT.xml
 */
import { readFileSync } from "node:fs";

const MAX_CHARS_PER_FAILURE = 3_000;

export interface FailedTest {
  file: string;
  name: string;
  error: string;
}

/** The failed test cases of a junit report as bun writes it (`--reporter=junit`). */
export function failedTests(xml: string): FailedTest[] {
  const failed: FailedTest[] = [];
  const testcase = /<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const match of xml.matchAll(testcase)) {
    const body = match[2] ?? "";
    const failure = /<failure\b([^>]*)>([\s\S]*?)<\/failure>|<failure\b([^>]*)\/>/.exec(body);
    if (failure === null) continue;
    const attrs = match[1] ?? "";
    const text = decodeXml(failure[2] ?? attribute(failure[1] ?? failure[3] ?? "", "message"));
    failed.push({
      file: decodeXml(attribute(attrs, "file")),
      name: [attribute(attrs, "classname"), attribute(attrs, "name")]
        .filter((s) => s !== "")
        .map(decodeXml)
        .join(" > "),
      error: text.length > MAX_CHARS_PER_FAILURE ? `…${text.slice(-MAX_CHARS_PER_FAILURE)}` : text,
    });
  }
  return failed;
}

function attribute(attrs: string, name: string): string {
  return new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1] ?? "";
}

function decodeXml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(Number.parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

if (import.meta.main) {
  const report = process.argv[2];
  if (report === undefined) throw new Error("usage: bun scripts/lib/failure-digest.ts REPORT.xml");
  const failed = failedTests(readFileSync(report, "utf8"));
  if (failed.length > 0) {
    console.log(`\nfailed tests and their errors (${failed.length}):`);
    for (const f of failed) console.log(`\n--- ${f.file}: ${f.name}\n${f.error.trimEnd()}`);
  }
}
