import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";

/**
 * The part of Grafana's dashboard JSON the tests read: panels (rows nest theirs), their SQL targets,
 * their field overrides and transformations, and the template variables. Strict where a typo would
 * silently break a panel in Grafana (a target without rawSql, an unknown format).
 */
const DatasourceRefSchema = z.object({ type: z.string(), uid: z.string() });

const TargetSchema = z.object({
  refId: z.string(),
  datasource: DatasourceRefSchema,
  editorMode: z.literal("code"),
  format: z.enum(["time_series", "table"]),
  rawQuery: z.literal(true),
  rawSql: z.string().min(1),
});

const OverrideSchema = z.object({
  matcher: z.object({ id: z.string(), options: z.unknown() }),
  properties: z.array(z.object({ id: z.string(), value: z.unknown() })),
});

const TransformationSchema = z.object({ id: z.string(), options: z.record(z.string(), z.unknown()) });

const GridPosSchema = z.object({ h: z.number(), w: z.number().max(24), x: z.number(), y: z.number() });

export interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: z.infer<typeof GridPosSchema>;
  datasource?: z.infer<typeof DatasourceRefSchema> | undefined;
  targets?: z.infer<typeof TargetSchema>[] | undefined;
  fieldConfig?: { overrides: z.infer<typeof OverrideSchema>[] } | undefined;
  transformations?: z.infer<typeof TransformationSchema>[] | undefined;
  panels?: Panel[] | undefined;
}

const PanelSchema: z.ZodType<Panel> = z.lazy(() =>
  z.object({
    id: z.number().int(),
    type: z.string(),
    title: z.string().min(1),
    gridPos: GridPosSchema,
    datasource: DatasourceRefSchema.optional(),
    targets: z.array(TargetSchema).optional(),
    fieldConfig: z.object({ overrides: z.array(OverrideSchema) }).optional(),
    transformations: z.array(TransformationSchema).optional(),
    panels: z.array(PanelSchema).optional(),
  }),
);

const VariableSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("query"),
    name: z.string().regex(/^\w+$/),
    datasource: DatasourceRefSchema,
    // SQL data sources accept the query as a string or as {rawSql} (newer editors).
    query: z.union([z.string().min(1), z.object({ rawSql: z.string().min(1) })]),
    multi: z.boolean(),
    includeAll: z.boolean(),
  }),
  z.object({
    type: z.literal("custom"),
    name: z.string().regex(/^\w+$/),
    query: z.string().min(1),
    current: z.object({ value: z.string() }),
    multi: z.boolean(),
    includeAll: z.boolean(),
  }),
]);

export const DashboardSchema = z.object({
  uid: z.string().regex(/^[a-z0-9-]{1,40}$/),
  title: z.string().min(1),
  time: z.object({ from: z.string(), to: z.string() }),
  templating: z.object({ list: z.array(VariableSchema) }),
  panels: z.array(PanelSchema).min(1),
});
export type Dashboard = z.infer<typeof DashboardSchema>;
export type Variable = z.infer<typeof VariableSchema>;

export interface DashboardFile {
  file: string;
  dashboard: Dashboard;
}

export async function readDashboards(dir: string): Promise<DashboardFile[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".json")).sort();
  return Promise.all(
    files.map(async (file) => ({
      file,
      dashboard: DashboardSchema.parse(await Bun.file(join(dir, file)).json()),
    })),
  );
}

/** Every panel, with the panels of (collapsed or open) rows. */
export function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

export interface PanelQuery {
  panel: Panel;
  refId: string;
  format: "time_series" | "table";
  sql: string;
}

export function panelQueries(dashboard: Dashboard): PanelQuery[] {
  return allPanels(dashboard.panels).flatMap((panel) =>
    (panel.targets ?? []).map((t) => ({ panel, refId: t.refId, format: t.format, sql: t.rawSql })),
  );
}

export function variableQuery(variable: Variable): string | null {
  if (variable.type !== "query") return null;
  return typeof variable.query === "string" ? variable.query : variable.query.rawSql;
}

/**
 * The columns a panel names in its configuration: byName field overrides and the organize
 * transformation's exclude/rename/order maps. A query that stops returning one breaks the panel quietly.
 */
export function referencedColumns(panel: Panel): string[] {
  const names = new Set<string>();
  for (const o of panel.fieldConfig?.overrides ?? []) {
    if (o.matcher.id !== "byName") throw new Error(`${panel.title}: unsupported matcher ${o.matcher.id}`);
    names.add(String(o.matcher.options));
  }
  for (const t of panel.transformations ?? []) {
    if (t.id !== "organize") throw new Error(`${panel.title}: unsupported transformation ${t.id}`);
    for (const key of ["excludeByName", "renameByName", "indexByName"]) {
      for (const name of Object.keys((t.options[key] ?? {}) as Record<string, unknown>)) names.add(name);
    }
  }
  return [...names];
}
