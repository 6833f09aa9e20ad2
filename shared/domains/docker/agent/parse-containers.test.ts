import { describe, expect, test } from "bun:test";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { DockerContainerSchema } from "../schema.ts";
import { parseContainerList, parseContainers } from "./parse-containers.ts";
import { fixture } from "./testing/captures.ts";

const complete = { stats: null, inspect_error: null };

describe("parseContainers", () => {
  test("telegraf list (trimmed): names without the slash, ports, missing fields as null", async () => {
    const list = parseContainers(await fixture("telegraf-containers-list/containers.json"));
    expect(list.map((c) => c.name)).toEqual(["etcd", "etcd2", "acme", "acme-test", "foo"]);
    const [etcd, , acme] = list;
    expect(etcd?.image).toBe("quay.io/coreos/etcd:v3.3.25");
    expect(etcd?.image_id).toBeNull();
    expect(etcd?.created_at).toBe("2016-02-20T04:18:50.000Z");
    expect(etcd?.ports).toContainEqual({
      container_port: 2379,
      host_port: 2379,
      host_ip: "0.0.0.0",
      protocol: "tcp",
    });
    expect(etcd?.ports).toContainEqual({
      container_port: 7001,
      host_port: null,
      host_ip: null,
      protocol: "tcp",
    });
    expect(etcd?.labels).toEqual({ label1: "test_value_1", label2: "test_value_2" });
    expect(etcd?.compose).toBeNull();
    expect(acme).toMatchObject({ created_at: null, ports: [], labels: {}, networks: [], mounts: [] });
    for (const c of list) expect(DockerContainerSchema.safeParse({ ...c, ...complete }).success).toBe(true);
  });

  test("telegraf non-running list: only Id, Names, Image, State", async () => {
    const [stopped] = parseContainers(
      await fixture("telegraf-containers-include-non-running/containers.json"),
    );
    expect(stopped).toMatchObject({
      id: "123456789",
      name: "stopped-container",
      state: "exited",
      status: "",
    });
  });

  test("podman: compose labels, user-defined network with IPs, a read-only bind mount", async () => {
    const list = parseContainers(await fixture("derived-podman431/containers.json"));
    const web = list.find((c) => c.name === "dkx-web");
    expect(web?.compose).toEqual({
      project: "demo",
      service: "web",
      working_dir: null,
      config_files: [],
      depends_on: [{ service: "db", condition: "service_started" }],
    });
    expect(web?.networks).toEqual([
      {
        network: "dkxnet",
        ip_address: "10.89.7.3",
        ipv6_address: null,
        gateway: "10.89.7.1",
        mac_address: "66:19:50:af:85:45",
      },
    ]);
    expect(web?.mounts).toEqual([
      { type: "bind", name: null, source: "/srv/demo/static", destination: "/data", access: "ro" },
    ]);
    expect(web?.ports).toEqual([{ container_port: 80, host_port: 18080, host_ip: null, protocol: "tcp" }]);
    expect(list.find((c) => c.name === "dkx-db")?.compose?.depends_on).toEqual([]);
  });

  test("docker with compose (handwritten): health from Status, depends_on with conditions, volumes", async () => {
    const [web, db] = parseContainers(await fixture("handwritten-compose/containers.json"));
    expect(web?.health).toBe("healthy");
    expect(web?.compose).toEqual({
      project: "shop",
      service: "web",
      working_dir: "/srv/shop",
      config_files: ["/srv/shop/compose.yaml", "/srv/shop/compose.override.yaml"],
      depends_on: [
        { service: "db", condition: "service_healthy" },
        { service: "cache", condition: "service_started" },
      ],
    });
    expect(web?.networks[0]?.ipv6_address).toBe("fd00:19::3");
    expect(db).toMatchObject({ state: "exited", health: "none" });
    expect(db?.mounts).toEqual([
      {
        type: "volume",
        name: "shop_pgdata",
        source: "/var/lib/docker/volumes/shop_pgdata/_data",
        destination: "/var/lib/postgresql/data",
        access: "rw",
      },
    ]);
    // A stopped container keeps its attachment but has no address.
    expect(db?.networks).toEqual([
      { network: "shop_backend", ip_address: null, ipv6_address: null, gateway: null, mac_address: null },
    ]);
  });

  test.each([
    ["empty", "", 1],
    ["truncated", '[\n  {\n    "Id": "abc",\n    "Names": ["/x"', 4],
    ["not an array", '{"message": "page not found"}', undefined],
  ])("garbage (%s) is PARSE_FAILED naming where", (_, text, line) => {
    let error: unknown;
    try {
      parseContainerList(text);
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: ErrorCode.PARSE_FAILED });
    const details = (error as { details: Record<string, unknown> }).details;
    if (line !== undefined) expect(details.line).toBe(line);
    else expect(String(details.excerpt)).not.toBe("");
  });

  test("an element of the wrong shape is an item error named by its name or id; its neighbours are read", () => {
    const text = JSON.stringify([
      { Id: "aaa111", Names: ["/web"], State: "running" },
      { Names: ["/x"] },
      { Id: "bbb222", Names: "/db" },
      null,
      { Id: "ccc333", Names: ["/cache"], State: "exited" },
    ]);
    const parsed = parseContainerList(text);
    expect(parsed.items.map((c) => [c.name, c.state])).toEqual([
      ["web", "running"],
      ["cache", "exited"],
    ]);
    expect(parsed.errors.map((e) => [e.name, e.error.code, e.error.message])).toEqual([
      [
        "x",
        "PARSE_FAILED",
        "GET /containers/json: unexpected shape at [1].Id: Invalid input: expected string, received undefined",
      ],
      [
        "bbb222",
        "PARSE_FAILED",
        "GET /containers/json: unexpected shape at [2].Names: Invalid input: expected array, received string",
      ],
      [
        null,
        "PARSE_FAILED",
        "GET /containers/json: unexpected shape at [3]: Invalid input: expected object, received null",
      ],
    ]);
    expect(parsed.errors[1]?.error.excerpt).toBe('{"Id":"bbb222","Names":"/db"}');
    // The updates domain takes the readable ones.
    expect(parseContainers(text).map((c) => c.name)).toEqual(["web", "cache"]);
  });
});
