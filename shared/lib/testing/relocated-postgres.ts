import { chmod, copyFile, mkdir, mkdtemp, readdir, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { postgresBinDir } from "../../../scripts/lib/pg-cluster.ts";

/**
 * An extension the test server offers: a real control file and install script under the server's
 * share directory, so `pg_available_extensions`, `CREATE EXTENSION` and `pg_extension.extversion` are the
 * server's own answers. Only the name and version are the real extension's: the script is the test's.
 */
export interface StandInExtension {
  name: string;
  /** The control file's default_version: what CREATE EXTENSION installs. */
  version: string;
  /** The install script's SQL (runs inside CREATE EXTENSION). */
  script: string;
  /** More versions offered (`CREATE EXTENSION ... VERSION '...'`, pg_available_extension_versions). */
  otherVersions?: { version: string; script: string }[];
}

/**
 * A copy of the installed PostgreSQL's server programs in a temp dir, with its own share directory.
 * PostgreSQL finds its share and library directories relative to the running binary (a relocatable
 * install), so the copy reads extension control files from the temp dir and never from the system's:
 * the machine's installation is untouched. Libraries and all other share files are symlinked.
 * Returns the bin directory for PgCluster's `binDir` and the temp root to delete afterwards.
 */
export async function relocatedPostgres(
  extensions: StandInExtension[],
): Promise<{ binDir: string; root: string }> {
  const systemBin = postgresBinDir();
  const [shareDir, libDir] = await pgConfig(systemBin, ["--sharedir", "--pkglibdir"]);
  const prefix = commonAncestor([systemBin, shareDir, libDir]);
  const root = await mkdtemp(join(tmpdir(), "infra-pg-install-"));
  // The server runs as `postgres`: it must be able to walk into the copy.
  await chmod(root, 0o755);
  const at = (path: string): string => join(root, relative(prefix, path));

  const binDir = at(systemBin);
  await mkdir(binDir, { recursive: true });
  for (const program of ["postgres", "initdb", "pg_ctl"]) {
    // A copy, not a symlink: PostgreSQL resolves symlinks to find where it runs from.
    await copyFile(join(systemBin, program), join(binDir, program));
    await chmod(join(binDir, program), 0o755);
  }
  await mkdir(dirname(at(libDir)), { recursive: true });
  await symlink(libDir, at(libDir));

  const share = at(shareDir);
  await mkdir(join(share, "extension"), { recursive: true });
  for (const entry of await readdir(shareDir)) {
    if (entry !== "extension") await symlink(join(shareDir, entry), join(share, entry));
  }
  for (const entry of await readdir(join(shareDir, "extension"))) {
    await symlink(join(shareDir, "extension", entry), join(share, "extension", entry));
  }
  for (const ext of extensions) {
    const control = [
      `comment = 'test stand-in for ${ext.name}: its name and version only'`,
      `default_version = '${ext.version}'`,
      "relocatable = false",
      "superuser = true",
      "",
    ].join("\n");
    await writeFile(join(share, "extension", `${ext.name}.control`), control);
    for (const v of [{ version: ext.version, script: ext.script }, ...(ext.otherVersions ?? [])])
      await writeFile(join(share, "extension", `${ext.name}--${v.version}.sql`), `${v.script}\n`);
  }
  return { binDir, root };
}

async function pgConfig(binDir: string, flags: [string, string]): Promise<[string, string]> {
  const proc = Bun.spawn([join(binDir, "pg_config"), ...flags], { stdout: "pipe", stderr: "pipe" });
  const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
  const [first, second] = out.trim().split("\n");
  if (code !== 0 || first === undefined || second === undefined)
    throw new Error(`pg_config ${flags.join(" ")} exited ${code}: ${out}`);
  return [first, second];
}

function commonAncestor(paths: string[]): string {
  const parts = paths.map((p) => p.split(sep));
  const first = parts[0] ?? [];
  let n = 0;
  while (n < first.length && parts.every((p) => p[n] === first[n])) n += 1;
  return first.slice(0, n).join(sep) || sep;
}
