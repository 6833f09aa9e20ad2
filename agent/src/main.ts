import { main } from "./cli.ts";

// Exit explicitly: a NATS dial or a timer left behind must not keep a stopped agent alive.
process.exit(await main(process.argv.slice(2)));
