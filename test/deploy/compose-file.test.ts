import { beforeAll, describe, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  type Compose,
  ComposeSchema,
  type ComposeService,
  interpolate,
  parseDotEnv,
  portMappings,
  referencedVariables,
  volumeMounts,
} from "@infrastructor/lib/testing/compose-file.ts";
import { allPanels, readDashboards } from "@infrastructor/lib/testing/grafana-dashboard.ts";
import { COLLECTOR_ENV_VARS, type CollectorConfig, loadCollectorConfig } from "../../collector/src/config.ts";
import { AUTH_FILES } from "../../collector/src/nats-auth/auth-files.ts";
import { COMPOSE_SECRETS } from "../../scripts/check-secrets.ts";

/** docker-compose.yaml against the code it runs: the collector's configuration and Grafana's provisioning. */
const repo = resolve(import.meta.dir, "../..");
const text = (path: string): Promise<string> => Bun.file(join(repo, path)).text();

let compose: Compose;
/** .env.example with its secrets replaced by generated ones, as an operator's .env would be. */
let dotEnv: Record<string, string>;
let exampleEnv: Record<string, string>;
let env: (service: ComposeService) => Record<string, string>;

beforeAll(async () => {
  compose = ComposeSchema.parse(Bun.YAML.parse(await text("docker-compose.yaml")));
  exampleEnv = parseDotEnv(await text(".env.example"));
  dotEnv = { ...exampleEnv };
  for (const name of COMPOSE_SECRETS) dotEnv[name] = randomBytes(24).toString("hex");
  env = (service) =>
    Object.fromEntries(
      Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(v, dotEnv)]),
    );
});

const service = (name: string): ComposeService => {
  const s = compose.services[name];
  if (!s) throw new Error(`no service ${name} in docker-compose.yaml`);
  return s;
};
/** The container port the service publishes on `published`. */
const targetPort = (name: string, published: number): number | undefined =>
  portMappings(service(name)).find((p) => p.published === published)?.target;
const mountOf = (name: string, target: string) =>
  volumeMounts(service(name)).find((m) => m.target === target);

describe("docker-compose.yaml", () => {
  test("is the central stack: TimescaleDB on 9100, NATS on 4222, the collector on 9101, Grafana on 3000", () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      "check-secrets",
      "collector",
      "grafana",
      "nats",
      "nats-init",
      "timescaledb",
    ]);
    // The database on loopback only: never reachable from the LAN.
    expect(portMappings(service("timescaledb"))).toEqual([
      { published: 9100, target: 5432, address: "127.0.0.1" },
    ]);
    expect(portMappings(service("nats"))).toEqual([{ published: 4222, target: 4222 }]);
    expect(portMappings(service("collector"))).toEqual([{ published: 9101, target: 9101 }]);
    expect(portMappings(service("grafana"))).toEqual([{ published: 3000, target: 3000 }]);
    expect(service("timescaledb").image).toStartWith("timescale/timescaledb:");
    // TimescaleDB before 2.18.1 silently drops rows of INSERT ... ON CONFLICT DO NOTHING once a row hits a
    // compressed chunk (timescaledb#7672): the writer's redelivery path is exactly that statement. And
    // PostgreSQL 16 or 17 (15.20 breaks TimescaleDB's background jobs).
    const [, ts, pg] = service("timescaledb").image?.match(/:(\d+\.\d+\.\d+)-pg(\d+)$/) ?? [];
    const [major, minor, patch] = (ts ?? "0.0.0").split(".").map(Number);
    expect((major ?? 0) * 10_000 + (minor ?? 0) * 100 + (patch ?? 0)).toBeGreaterThanOrEqual(21801);
    expect(["16", "17"]).toContain(pg ?? "");
    expect(service("grafana").image).toStartWith("grafana/grafana-oss:");
  });

  test("NATS runs with the JWT auth nats-init makes; the collector reads its creds and signing keys there", () => {
    const init = service("nats-init");
    const initCommand = (init.command ?? []).join(" ");
    expect(initCommand.match(/nats init --dir (\S+)/)?.[1]).toBe("/auth");
    // An existing directory is upgraded to the current layout (hosts in their own account).
    expect(initCommand.match(/nats upgrade --dir (\S+);/)?.[1]).toBe("/auth");
    // A nats-server whose JetStream API parses strictly and that survives wildcard replies.
    const [major, minor] = (service("nats").image?.match(/^nats:(\d+)\.(\d+)/) ?? []).slice(1).map(Number);
    expect((major ?? 0) * 100 + (minor ?? 0)).toBeGreaterThanOrEqual(212);
    expect(service("nats").command).toContain(`/auth/${AUTH_FILES.serverConfig}`);
    expect(service("nats").depends_on?.["nats-init"]?.condition).toBe("service_completed_successfully");
    const env = service("collector").environment ?? {};
    expect(env.NATS_AUTH_DIR).toBe("/auth");
    expect(env.NATS_CREDS).toBe(`/auth/${AUTH_FILES.collectorCreds}`);
    for (const name of ["nats-init", "nats", "collector"]) {
      expect((service(name).volumes ?? []).some((v) => v.startsWith("nats-auth:/auth"))).toBe(true);
    }
  });

  test("check-secrets takes every secret, and everything else waits until it succeeded", () => {
    const check = service("check-secrets");
    expect(Object.keys(check.environment ?? {}).sort()).toEqual([...COMPOSE_SECRETS].sort());
    for (const name of COMPOSE_SECRETS) expect(check.environment?.[name]).toContain(`\${${name}:?`);
    expect(check.command).toEqual(["bun", "scripts/check-secrets.ts"]);
    expect(mountOf("check-secrets", "/app")).toMatchObject({ source: ".", bind: true, readOnly: true });
    // Every other service reaches check-secrets through depends_on (directly or through another).
    const waitsFor = (name: string, seen = new Set<string>()): Set<string> => {
      for (const [dep, { condition }] of Object.entries(service(name).depends_on ?? {})) {
        if (dep === "check-secrets") expect(condition).toBe("service_completed_successfully");
        if (!seen.has(dep)) waitsFor(dep, seen.add(dep));
      }
      return seen;
    };
    for (const name of Object.keys(compose.services).filter((n) => n !== "check-secrets"))
      expect({ name, waits: waitsFor(name).has("check-secrets") }).toEqual({ name, waits: true });
  });

  test("check-secrets (run for real) refuses .env.example's values, naming each variable, and accepts generated ones", async () => {
    const run = async (env: Record<string, string>): Promise<{ code: number; err: string }> => {
      const proc = Bun.spawn(["bun", join(repo, "scripts/check-secrets.ts")], {
        env: { PATH: process.env.PATH ?? "", ...env },
        stdout: "pipe",
        stderr: "pipe",
      });
      const [err, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
      return { code, err };
    };
    const example = await run(exampleEnv);
    expect(example.code).toBe(1);
    for (const name of COMPOSE_SECRETS)
      expect(example.err).toContain(`check-secrets: ${name} is a placeholder`);
    for (const name of COMPOSE_SECRETS) expect(example.err).not.toContain(exampleEnv[name] ?? "unset");
    expect(await run(dotEnv)).toEqual({ code: 0, err: "" });
  });

  test("the collector refuses .env.example as it is: its API token and database password are placeholders", () => {
    const asExample = Object.fromEntries(
      Object.entries(service("collector").environment ?? {}).map(([k, v]) => [k, interpolate(v, exampleEnv)]),
    );
    expect(() => loadCollectorConfig(asExample)).toThrow(
      /DATABASE_URL: its password is a placeholder.*COLLECTOR_API_TOKEN: is a placeholder/,
    );
  });

  test(".env.example sets every variable the file references, and nothing else", () => {
    const referenced = new Set(
      Object.values(compose.services).flatMap((s) =>
        Object.values(s.environment ?? {}).flatMap(referencedVariables),
      ),
    );
    expect([...referenced].sort()).toEqual(Object.keys(dotEnv).sort());
  });

  test("every variable is required (the :? form) where it is first used: a missing secret stops compose", () => {
    const values = Object.values(compose.services).flatMap((s) => Object.values(s.environment ?? {}));
    for (const name of Object.keys(dotEnv)) {
      const first = values.find((v) => referencedVariables(v).includes(name)) ?? "";
      expect(first).toContain(["$", "{", name, ":?"].join(""));
    }
  });

  describe("the collector's environment", () => {
    let collectorEnv: Record<string, string>;
    let config: CollectorConfig;
    beforeAll(() => {
      collectorEnv = env(service("collector"));
      config = loadCollectorConfig(collectorEnv);
    });

    test("sets only variables the collector reads, and every required one (loadCollectorConfig accepts it)", () => {
      for (const name of Object.keys(collectorEnv)) expect(COLLECTOR_ENV_VARS).toContain(name);
      expect(config.http.apiToken).toBe(dotEnv.COLLECTOR_API_TOKEN ?? "");
    });

    test("listens on every interface of its container, on the port compose publishes", () => {
      expect(config.http.host).toBe("0.0.0.0");
      expect(targetPort("collector", 9101)).toBe(config.http.port);
    });

    test("DATABASE_URL is the timescaledb service's database, as the collector's role, never the superuser", () => {
      const url = new URL(config.databaseUrl);
      const db = env(service("timescaledb"));
      expect(url.hostname).toBe("timescaledb");
      expect(Number(url.port)).toBe(targetPort("timescaledb", 9100) ?? -1);
      expect(url.username).toBe("infrastructor");
      expect(url.username).not.toBe(db.POSTGRES_USER ?? "");
      expect(decodeURIComponent(url.password)).toBe(dotEnv.COLLECTOR_DB_PASSWORD ?? "");
      expect(db.COLLECTOR_DB_PASSWORD).toBe(dotEnv.COLLECTOR_DB_PASSWORD ?? "");
      expect(url.pathname).toBe(`/${db.POSTGRES_DB}`);
    });

    test("NATS_URL is the nats service with JetStream on, on the port compose publishes", () => {
      const url = new URL(config.nats.url);
      expect(url.hostname).toBe("nats");
      expect(Number(url.port)).toBe(targetPort("nats", 4222) ?? -1);
      const command = service("nats").command ?? [];
      expect(command).toContain("-js");
      expect(command).not.toContain("-p"); // the default client port, 4222
      const storeDir = command[command.indexOf("-sd") + 1] ?? "";
      expect(mountOf("nats", storeDir)).toMatchObject({ bind: false });
    });

    test("runs the repository's collector", () => {
      const collector = service("collector");
      expect(mountOf("collector", collector.working_dir ?? "")).toMatchObject({ source: ".", bind: true });
      expect(collector.command?.join(" ")).toContain("exec bun collector/src/main.ts");
      expect(existsSync(join(repo, "collector/src/main.ts"))).toBe(true);
      expect(collector.depends_on?.timescaledb?.condition).toBe("service_healthy");
      expect(service("timescaledb").healthcheck).toBeDefined();
    });
  });

  test("named volumes are declared and data directories are on them; bind mounts exist in the repository", () => {
    const used = Object.values(compose.services).flatMap((s) => volumeMounts(s).filter((m) => !m.bind));
    expect([...new Set(used.map((m) => m.source))].sort()).toEqual(Object.keys(compose.volumes).sort());
    expect(mountOf("timescaledb", "/var/lib/postgresql/data")?.bind).toBe(false);
    expect(mountOf("grafana", "/var/lib/grafana")?.bind).toBe(false);
    for (const s of Object.values(compose.services)) {
      for (const m of volumeMounts(s).filter((v) => v.bind))
        expect(existsSync(join(repo, m.source))).toBe(true);
    }
  });

  test("depends_on names services of the file; service_healthy only where there is a healthcheck", () => {
    for (const s of Object.values(compose.services)) {
      for (const [name, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect(Object.keys(compose.services)).toContain(name);
        if (condition === "service_healthy") expect(service(name).healthcheck).toBeDefined();
      }
    }
  });
});

describe("Grafana's provisioning", () => {
  const provisioning = "deploy/grafana/provisioning";

  test("is mounted where Grafana reads it", () => {
    expect(mountOf("grafana", "/etc/grafana/provisioning")).toEqual({
      source: `./${provisioning}`,
      target: "/etc/grafana/provisioning",
      readOnly: true,
      bind: true,
    });
  });

  test("the data source is the timescaledb service's database, read by grafana_reader, TimescaleDB on", async () => {
    const file = Bun.YAML.parse(await text(`${provisioning}/datasources/infrastructor.yaml`)) as {
      datasources: {
        uid: string;
        type: string;
        url: string;
        user: string;
        jsonData: Record<string, unknown>;
        secureJsonData: { password: string };
      }[];
    };
    expect(file.datasources).toHaveLength(1);
    const [ds] = file.datasources;
    const db = env(service("timescaledb"));
    expect(ds?.type).toBe("grafana-postgresql-datasource");
    expect(ds?.url).toBe(`timescaledb:${targetPort("timescaledb", 9100)}`);
    expect(ds?.jsonData.database).toBe(db.POSTGRES_DB);
    expect(ds?.jsonData.timescaledb).toBe(true);
    expect(ds?.user).toBe("grafana_reader");
    // Grafana expands $NAME in provisioning files from its own environment.
    const passwordVar = /^\$([A-Z_]+)$/.exec(ds?.secureJsonData.password ?? "")?.[1] ?? "";
    expect(env(service("grafana"))[passwordVar]).toBe(db.GRAFANA_DB_PASSWORD ?? "unset");
  });

  test("the database creates grafana_reader: the init script is mounted, executable, and names the role", async () => {
    const script = "deploy/timescaledb/init/10-grafana-reader.sh";
    const mount = volumeMounts(service("timescaledb")).find((m) => m.source === `./${script}`);
    expect(mount?.target).toMatch(/^\/docker-entrypoint-initdb\.d\/\d+-[\w-]+\.sh$/);
    expect(statSync(join(repo, script)).mode & 0o111).not.toBe(0);
    expect(await text(script)).toContain("CREATE ROLE grafana_reader");
  });

  test("the database creates the collector's role before grafana_reader, which grants on its tables", () => {
    const targets = ["05-collector-role.sh", "10-grafana-reader.sh"].map(
      (name) =>
        volumeMounts(service("timescaledb")).find((m) => m.source === `./deploy/timescaledb/init/${name}`)
          ?.target ?? "missing",
    );
    // The image runs /docker-entrypoint-initdb.d in name order.
    expect(targets.every((t) => t.startsWith("/docker-entrypoint-initdb.d/"))).toBe(true);
    expect([...targets].sort()).toEqual(targets);
    expect(statSync(join(repo, "deploy/timescaledb/init/05-collector-role.sh")).mode & 0o111).not.toBe(0);
  });

  test("the dashboard provider's path is the mounted dashboards folder, and every dashboard uses the data source", async () => {
    const file = Bun.YAML.parse(await text(`${provisioning}/dashboards/infrastructor.yaml`)) as {
      providers: { type: string; options: { path: string } }[];
    };
    const [provider] = file.providers;
    expect(provider?.type).toBe("file");
    const mount = mountOf("grafana", provider?.options.path ?? "");
    expect(mount).toMatchObject({ bind: true, readOnly: true });
    const dashboards = await readDashboards(join(repo, mount?.source ?? ""));
    expect(dashboards.map((d) => d.file)).toEqual([
      "containers.json",
      "drives.json",
      "fleet-overview.json",
      "host-detail.json",
      "zfs.json",
    ]);
    expect(new Set(dashboards.map((d) => d.dashboard.uid)).size).toBe(dashboards.length);
    const datasource = { type: "grafana-postgresql-datasource", uid: "infrastructor" };
    for (const { dashboard } of dashboards) {
      for (const panel of allPanels(dashboard.panels).filter((p) => p.type !== "row")) {
        expect({ panel: panel.title, ds: panel.datasource }).toEqual({ panel: panel.title, ds: datasource });
        for (const t of panel.targets ?? []) expect(t.datasource).toEqual(datasource);
      }
      for (const v of dashboard.templating.list)
        if (v.type === "query") expect(v.datasource).toEqual(datasource);
    }
  });
});
