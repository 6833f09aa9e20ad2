import type { ItemsParse } from "@infrastructor/lib/collect/parse-items.ts";
import { itemError } from "@infrastructor/lib/collect/parse-items.ts";
import { runText } from "@infrastructor/lib/collect/run-source.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import type { Ups } from "../schema.ts";
import { parseUpsc, parseUpscList } from "./parse-upsc.ts";

export interface UpsReadOptions {
  /** The upsc program (argv[0]). */
  upsc: string;
  timeoutMs: number;
}

/**
 * `upsc -l`, then `upsc <name>` for each UPS it lists. Names come from upsc itself and are checked
 * against UPS_NAME before they reach a command; a UPS whose driver is down (`Error: Driver not
 * connected`, `Data stale`) is an item error and the others are still read.
 */
export async function readUps(executor: Executor, options: UpsReadOptions): Promise<ItemsParse<Ups>> {
  const run = (argv: string[]): Promise<string> => runText(executor, argv, { timeoutMs: options.timeoutMs });
  const listed = parseUpscList(await run([options.upsc, "-l"]));
  const out: ItemsParse<Ups> = { items: [], errors: [...listed.errors] };
  // One at a time: upsd answers each from memory at once; nothing is gained by a burst of clients.
  for (const name of listed.items) {
    try {
      out.items.push({ name, ...parseUpsc(await run([options.upsc, name])) });
    } catch (err) {
      out.errors.push(itemError({ name, line: null, text: "" }, err));
    }
  }
  return out;
}
