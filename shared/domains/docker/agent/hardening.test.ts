import { afterAll, beforeAll, expect, test } from "bun:test";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { startTestPodman, type TestPodman } from "@infrastructor/lib/testing/podman.ts";
import { DockerDataSchema } from "../schema.ts";
import { createDockerCollector } from "./index.ts";

/**
 * Issue 12 items 14 and 4 against a real engine (podman's Docker API). Item 14: container labels
 * carrying secrets were stored and shown to the LLM in full; a container is created with Traefik and
 * Homepage labels holding secrets, a secret in its environment and one in its command. Item 4: more
 * containers than a sample carries are cut with a stated count.
 */
let engine: TestPodman;
const SECRETS = {
  hash: "$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/",
  apiKey: "myembyapikeywashere",
  webhookToken: "XXXXXXXXXXXXXXXXXXXXXXXX",
  urlPassword: "S3cretPassw0rd",
  env: "env-secret-4711",
  argv: "argv-secret-0815",
};

beforeAll(async () => {
  engine = await startTestPodman();
  const labels = [
    `traefik.http.middlewares.test-auth.basicauth.users=test:${SECRETS.hash}`,
    "traefik.http.routers.whoami.middlewares=test-auth",
    `homepage.widget.key=${SECRETS.apiKey}`,
    "homepage.widget.url=http://emby.media.home",
    `app.alert.hook=https://hooks.slack.com/services/T00000000/B00000000/${SECRETS.webhookToken}`,
    `app.upstream=postgres://app:${SECRETS.urlPassword}@db:5432/app`,
    "org.opencontainers.image.authors=linuxserver.io",
  ].flatMap((l) => ["--label", l]);
  await engine.podman(
    "run",
    "-d",
    "--name",
    "labelled",
    "-e",
    `DB_PASSWORD=${SECRETS.env}`,
    ...labels,
    engine.image,
    "sh",
    "-c",
    `sleep 600 --password=${SECRETS.argv}`,
  );
}, 120_000);
afterAll(async () => {
  await engine?.destroy();
}, 60_000);

test("labels with secrets arrive redacted (keys kept); env and command never leave the host", async () => {
  const collector = createDockerCollector({ executor: new LocalExecutor(), socket: engine.socket });
  const { data, errors } = await collector.collect();
  expect(errors).toEqual([]);
  const parsed = DockerDataSchema.parse(data);
  const container = parsed.containers.find((c) => c.name === "labelled");
  expect(container?.labels).toMatchObject({
    "traefik.http.middlewares.test-auth.basicauth.users": "<redacted>",
    "traefik.http.routers.whoami.middlewares": "test-auth",
    "homepage.widget.key": "<redacted>",
    "homepage.widget.url": "http://emby.media.home",
    "app.alert.hook": "https://hooks.slack.com/services/<redacted>",
    "app.upstream": "postgres://<redacted>@db:5432/app",
    "org.opencontainers.image.authors": "linuxserver.io",
  });
  const sent = JSON.stringify(data);
  for (const secret of Object.values(SECRETS))
    expect([secret, sent.includes(secret)]).toEqual([secret, false]);
  expect(sent).not.toContain("H6uskkkW");
}, 120_000);

test("more containers than the bound: the first are sent, the rest counted in `truncated.containers`", async () => {
  for (const name of ["extra-1", "extra-2"])
    await engine.podman("create", "--name", name, engine.image, "true");
  const collector = createDockerCollector({
    executor: new LocalExecutor(),
    socket: engine.socket,
    max_containers: 2,
  });
  const { data } = await collector.collect();
  const parsed = DockerDataSchema.parse(data);
  expect(parsed.containers).toHaveLength(2);
  expect(parsed.truncated).toEqual({ containers: 1 });
}, 120_000);
