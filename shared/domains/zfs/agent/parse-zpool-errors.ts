import { MAX_ERROR_FILES, type ZfsPoolStatus } from "../schema.ts";

/** One `errors:` entry of a pool: the text after the key and the lines below it. */
export interface ErrorsEntry {
  header: string;
  more: string[];
}

export type ErrorsSummary = Pick<
  ZfsPoolStatus,
  "errors_text" | "data_errors" | "error_files" | "error_files_total"
>;

const FILES_HEADER = /^Permanent errors have been detected in the following files:?$/;

/**
 * The `errors:` entries of a pool (status_callback, print_error_log): `No known data errors`, `N data
 * errors, use '-v' for a list`, `List of errors unavailable: <reason>`, or with -v `Permanent errors have
 * been detected in the following files:` and one indented entry per damaged object: a path, a
 * `dataset:<0xobj>` or `<metadata>:<0x0>`. The first MAX_ERROR_FILES entries are kept, all counted; the
 * list is left out of errors_text, which stays the entries' own lines.
 */
export function summarizeErrors(entries: readonly ErrorsEntry[]): ErrorsSummary {
  if (entries.length === 0) return { errors_text: null, data_errors: null };
  const text: string[] = [];
  const files: string[] = [];
  let listed = false;
  let dataErrors: number | null = null;
  for (const { header, more } of entries) {
    text.push(header);
    if (FILES_HEADER.test(header)) {
      listed = true;
      for (const line of more) {
        // zpool_obj_to_path fills a buffer of 2 * MAXPATHLEN: cut to what the schema keeps.
        const entry = line.replace(/^\s+/, "").slice(0, 4096);
        if (entry !== "") files.push(entry);
      }
      continue;
    }
    text.push(...more.map((l) => l.trim()).filter((l) => l !== ""));
    if (header === "No known data errors") dataErrors = 0;
    const count = /^(\d+) data errors/.exec(header);
    if (count) dataErrors = Number(count[1]);
  }
  const summary: ErrorsSummary = {
    errors_text: text.join("\n").slice(0, 4096),
    // -v prints the list instead of the count: the entries are the count.
    data_errors: listed && dataErrors === null ? files.length : dataErrors,
  };
  if (!listed) return summary;
  return { ...summary, error_files: files.slice(0, MAX_ERROR_FILES), error_files_total: files.length };
}
