import { describe, expect, test } from "bun:test";
import {
  allPanels,
  type Dashboard,
  DashboardSchema,
  type Panel,
  panelQueries,
  referencedColumns,
  variableQuery,
} from "./grafana-dashboard.ts";

const DS = { type: "grafana-postgresql-datasource", uid: "infrastructor" };
const grid = { h: 8, w: 12, x: 0, y: 0 };
const target = (rawSql: string, format: "table" | "time_series" = "table") => ({
  refId: "A",
  datasource: DS,
  editorMode: "code" as const,
  format,
  rawQuery: true as const,
  rawSql,
});

const dashboard: Dashboard = DashboardSchema.parse({
  uid: "test",
  title: "Test",
  time: { from: "now-6h", to: "now" },
  templating: {
    list: [
      { type: "query", name: "host", datasource: DS, query: "SELECT 'a'", multi: true, includeAll: true },
      {
        type: "query",
        name: "disk",
        datasource: DS,
        query: { rawSql: "SELECT 'sda'" },
        multi: false,
        includeAll: false,
      },
      {
        type: "custom",
        name: "window",
        query: "1m,5m",
        current: { value: "1m" },
        multi: false,
        includeAll: false,
      },
    ],
  },
  panels: [
    { id: 1, type: "table", title: "Top", gridPos: grid, targets: [target("SELECT 1 AS one")] },
    {
      id: 2,
      type: "row",
      title: "Collapsed",
      gridPos: grid,
      panels: [
        {
          id: 3,
          type: "timeseries",
          title: "Nested",
          gridPos: grid,
          targets: [target("SELECT 2", "time_series")],
        },
      ],
    },
  ],
});

describe("grafana dashboard model", () => {
  test("panels and queries include those nested in rows", () => {
    expect(allPanels(dashboard.panels).map((p) => p.title)).toEqual(["Top", "Collapsed", "Nested"]);
    expect(panelQueries(dashboard).map((q) => [q.panel.title, q.format, q.sql])).toEqual([
      ["Top", "table", "SELECT 1 AS one"],
      ["Nested", "time_series", "SELECT 2"],
    ]);
  });

  test("variable queries as a string or as {rawSql}; custom variables have none", () => {
    expect(dashboard.templating.list.map(variableQuery)).toEqual(["SELECT 'a'", "SELECT 'sda'", null]);
  });

  test("a target that is not raw SQL in code mode is refused", () => {
    const bad = {
      ...dashboard,
      panels: [
        {
          id: 1,
          type: "table",
          title: "x",
          gridPos: grid,
          targets: [{ refId: "A", datasource: DS, format: "table" }],
        },
      ],
    };
    expect(DashboardSchema.safeParse(bad).success).toBe(false);
  });

  test("columns named by overrides and organize transformations", () => {
    const panel: Panel = {
      id: 1,
      type: "table",
      title: "t",
      gridPos: grid,
      fieldConfig: { overrides: [{ matcher: { id: "byName", options: "size_bytes" }, properties: [] }] },
      transformations: [
        {
          id: "organize",
          options: { excludeByName: { collected_at: true }, renameByName: { name: "Name" } },
        },
      ],
    };
    expect(referencedColumns(panel).sort()).toEqual(["collected_at", "name", "size_bytes"]);
    expect(() => referencedColumns({ ...panel, transformations: [{ id: "merge", options: {} }] })).toThrow(
      /unsupported transformation merge/,
    );
  });
});
