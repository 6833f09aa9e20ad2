import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { Hono } from "hono";
import { AGENT_ARCHES, type AgentArch, type AgentBinaries } from "../../enroll/agent-binaries.ts";

/**
 * GET /agent/linux-<arch> (the compiled agent, streamed, its SHA-256 in X-Checksum-Sha256) and
 * GET /agent/linux-<arch>.sha256 (`<hex>  <name>`, as sha256sum prints it). Open, like install.sh: the
 * binary is the same for every host and grants nothing; installers verify it against the published hash.
 */
export function agentBinaryRoutes(binaries: AgentBinaries): Hono {
  return new Hono().get("/agent/:file", async (c) => {
    const match = /^linux-([a-z0-9]+)(\.sha256)?$/.exec(c.req.param("file"));
    const arch = match?.[1];
    if (match === null || !AGENT_ARCHES.includes(arch as AgentArch)) {
      throw new AppError(
        ErrorCode.NOT_FOUND,
        `no agent file ${c.req.param("file")}; there are linux-{${AGENT_ARCHES.join(",")}}[.sha256]`,
      );
    }
    const binary = await binaries.find(arch as AgentArch);
    c.header("Cache-Control", "no-store");
    if (match[2] !== undefined) {
      return c.text(`${binary.sha256}  ${binary.name}\n`);
    }
    return c.body(Bun.file(binary.path).stream(), 200, {
      "Content-Type": "application/octet-stream",
      "Content-Length": String(binary.sizeBytes),
      "Content-Disposition": `attachment; filename="${binary.name}"`,
      "X-Checksum-Sha256": binary.sha256,
    });
  });
}
