import { Hono } from "hono";
import { installerScript } from "../../enroll/installer-script.ts";

/**
 * GET /install.sh, open: it holds no secret (only the collector's URL and its certificate's pin), and the enrollment token it is
 * given is checked where it matters, at POST /api/enroll. `publicUrl` null: the URL this request used.
 */
export function installScriptRoutes(publicUrl: string | null, pin: string | null): Hono {
  return new Hono().get("/install.sh", async (c) => {
    const script = await installerScript(publicUrl ?? new URL(c.req.url).origin, pin);
    c.header("Cache-Control", "no-store");
    return c.body(script, 200, { "Content-Type": "text/x-shellscript; charset=utf-8" });
  });
}
