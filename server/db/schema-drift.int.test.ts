import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pool } from "../db";
import { type DmmfField, type DmmfModel, getDatamodel } from "../testing/prisma-dmmf";

// schema.prisma is hand-kept beside the SQL migrations (the Prisma CLI cannot
// write migrations on these machines). This compares Prisma's own reading of
// it (the DMMF) with the database the migrations build, table by table, in
// one normalised shape, so that a drift shows as a diff such as
//   machines.columns.status: "text NOT NULL DEFAULT 'idle'::text" vs "... 'busy'::text".
// Partial and expression indexes cannot be written in schema.prisma and are
// left to the SQL.

type TableShape = {
  columns: Record<string, string>;
  primaryKey: string | null;
  uniques: string[];
  indexes: string[];
  foreignKeys: string[];
};

const schemaFile = path.resolve(import.meta.dirname, "../../prisma/schema.prisma");
const datamodel = getDatamodel(readFileSync(schemaFile, "utf8"));

const tableOf = (model: DmmfModel) => model.dbName ?? model.name;
const columnOf = (field: DmmfField) => field.dbName ?? field.name;

/** The type PostgreSQL's format_type() prints for what Prisma would create. */
function prismaColumnType(field: DmmfField): string {
  const [native, args = []] = field.nativeType ?? [];
  const byNative: Record<string, string> = {
    Uuid: "uuid",
    Text: "text",
    VarChar: `character varying(${args[0]})`,
    Char: `character(${args[0]})`,
    Timestamptz: `timestamp(${args[0] ?? 6}) with time zone`,
    Timestamp: `timestamp(${args[0] ?? 6}) without time zone`,
    Date: "date",
    Integer: "integer",
    SmallInt: "smallint",
    BigInt: "bigint",
    JsonB: "jsonb",
    Json: "json",
    Decimal: `numeric(${args.join(",")})`,
  };
  const byType: Record<string, string> = {
    String: "text",
    Int: "integer",
    BigInt: "bigint",
    Boolean: "boolean",
    DateTime: "timestamp(3) without time zone",
    Json: "jsonb",
    Float: "double precision",
    Decimal: "numeric(65,30)",
    Bytes: "bytea",
  };
  const base = native ? byNative[native] : byType[field.type];
  if (!base) return `<no mapping for ${field.type} ${native ?? ""} in this test: add one>`;
  return field.isList ? `${base}[]` : base;
}

/** The default expression PostgreSQL would show for a Prisma @default. */
function prismaDefault(table: string, field: DmmfField & { default?: unknown }, type: string): string | null {
  if (!field.hasDefaultValue) return null;
  const d = field.default;
  if (d && typeof d === "object" && !Array.isArray(d) && "name" in d) {
    const fn = d as { name: string; args: unknown[] };
    if (fn.name === "autoincrement") return `nextval('${table}_${columnOf(field)}_seq'::regclass)`;
    if (fn.name === "now") return "now()";
    if (fn.name === "dbgenerated") return String(fn.args[0]);
  }
  if (Array.isArray(d) && d.length === 0) return `'{}'::${type}`;
  if (typeof d === "string") return `'${d.replaceAll("'", "''")}'::${type}`;
  if (typeof d === "number" || typeof d === "boolean") return String(d);
  return `<no mapping for default ${JSON.stringify(d)} in this test: add one>`;
}

function prismaShape(): Record<string, TableShape> {
  const byName = new Map(datamodel.models.map((m) => [m.name, m]));
  const shapes: Record<string, TableShape> = {};
  for (const model of datamodel.models) {
    const table = tableOf(model);
    const fieldColumn = (name: string, of: DmmfModel = model) => {
      const field = of.fields.find((f) => f.name === name);
      if (!field) throw new Error(`${of.name}.${name} is not a field`);
      return columnOf(field);
    };
    const columns: Record<string, string> = {};
    for (const field of model.fields.filter((f) => f.kind === "scalar" || f.kind === "enum")) {
      const type = prismaColumnType(field);
      const def = prismaDefault(table, field, type);
      columns[columnOf(field)] = `${type}${field.isRequired ? " NOT NULL" : ""}${def ? ` DEFAULT ${def}` : ""}`;
    }

    const indexes = datamodel.indexes.filter((i) => i.model === model.name);
    const render = (name: string, fields: { name: string; sortOrder?: string }[]) =>
      `${name} (${fields.map((f) => `${fieldColumn(f.name)}${f.sortOrder === "desc" ? " DESC" : ""}`).join(", ")})`;
    const defaultName = (fields: { name: string }[], suffix: string) =>
      `${table}_${fields.map((f) => fieldColumn(f.name)).join("_")}_${suffix}`;
    const pk = indexes.find((i) => i.type === "id");

    const foreignKeys = model.fields
      .filter((f) => f.kind === "object" && (f.relationFromFields?.length ?? 0) > 0)
      .map((f) => {
        const target = byName.get(f.type);
        if (!target) throw new Error(`${model.name}.${f.name} points at unknown model ${f.type}`);
        const from = (f.relationFromFields ?? []).map((n) => fieldColumn(n));
        const optional = (f.relationFromFields ?? []).some((n) => !model.fields.find((x) => x.name === n)?.isRequired);
        // Prisma's defaults when the schema names no action.
        const onDelete = f.relationOnDelete ?? (optional ? "SetNull" : "Restrict");
        const onUpdate = f.relationOnUpdate ?? "Cascade";
        const to = (f.relationToFields ?? []).map((n) => fieldColumn(n, target));
        return `(${from.join(", ")}) → ${tableOf(target)} (${to.join(", ")}) ON DELETE ${onDelete} ON UPDATE ${onUpdate}`;
      });

    shapes[table] = {
      columns,
      primaryKey: pk ? render(pk.dbName ?? `${table}_pkey`, pk.fields) : null,
      uniques: indexes
        .filter((i) => i.type === "unique")
        .map((i) => render(i.dbName ?? defaultName(i.fields, "key"), i.fields))
        .sort(),
      indexes: indexes
        .filter((i) => i.type === "normal")
        .map((i) => render(i.dbName ?? defaultName(i.fields, "idx"), i.fields))
        .sort(),
      foreignKeys: foreignKeys.sort(),
    };
  }
  return shapes;
}

const actions: Record<string, string> = { a: "NoAction", r: "Restrict", c: "Cascade", n: "SetNull", d: "SetDefault" };

async function databaseShape(): Promise<Record<string, TableShape>> {
  const db = pool();
  const tables = await db.query<{ table: string }>(
    `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'`,
  );
  const columns = await db.query<{
    table: string;
    column: string;
    type: string;
    not_null: boolean;
    def: string | null;
  }>(
    `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS def
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
       AND c.relname <> '_prisma_migrations'`,
  );
  const indexes = await db.query<{
    table: string;
    name: string;
    is_primary: boolean;
    is_unique: boolean;
    plain: boolean;
    columns: string[];
  }>(
    `SELECT t.relname AS table, i.relname AS name, x.indisprimary AS is_primary, x.indisunique AS is_unique,
            (x.indpred IS NULL AND x.indexprs IS NULL) AS plain,
            ARRAY(SELECT a.attname || CASE WHEN (x.indoption[k.ord - 1] & 1) = 1 THEN ' DESC' ELSE '' END
                  FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k (attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
                  ORDER BY k.ord) AS columns
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'`,
  );
  const foreignKeys = await db.query<{ table: string; definition: string; on_delete: string; on_update: string }>(
    `SELECT c.relname AS table,
            '(' || (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k (attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) || ') → ' ||
            r.relname || ' (' ||
            (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k (attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) || ')' AS definition,
            con.confdeltype AS on_delete, con.confupdtype AS on_update
     FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class r ON r.oid = con.confrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND con.contype = 'f'`,
  );

  const shapes: Record<string, TableShape> = {};
  for (const { table } of tables.rows) {
    shapes[table] = { columns: {}, primaryKey: null, uniques: [], indexes: [], foreignKeys: [] };
  }
  const shapeOf = (table: string) => shapes[table] as TableShape;
  for (const c of columns.rows) {
    // A timestamp without a precision has PostgreSQL's maximum, 6: what
    // `prisma db pull` reads as @db.Timestamptz(6).
    const type = c.type.replace(/^timestamp (with|without) time zone/, "timestamp(6) $1 time zone");
    shapeOf(c.table).columns[c.column] = `${type}${c.not_null ? " NOT NULL" : ""}${c.def ? ` DEFAULT ${c.def}` : ""}`;
  }
  for (const i of indexes.rows) {
    const rendered = `${i.name} (${i.columns.join(", ")})`;
    if (!i.plain) continue; // partial or on an expression: SQL only
    if (i.is_primary) shapeOf(i.table).primaryKey = rendered;
    else if (i.is_unique) shapeOf(i.table).uniques.push(rendered);
    else shapeOf(i.table).indexes.push(rendered);
  }
  for (const f of foreignKeys.rows) {
    shapeOf(f.table).foreignKeys.push(
      `${f.definition} ON DELETE ${actions[f.on_delete]} ON UPDATE ${actions[f.on_update]}`,
    );
  }
  for (const shape of Object.values(shapes)) {
    shape.uniques.sort();
    shape.indexes.sort();
    shape.foreignKeys.sort();
  }
  return shapes;
}

describe("schema.prisma and the migrated database", () => {
  it("read the schema through Prisma's own parser", () => {
    expect(datamodel.models.length).toBeGreaterThan(10);
    expect(datamodel.models.find((m) => m.name === "InventoryItem")?.dbName).toBe("inventory_items");
  });

  it("have the same tables", async () => {
    const shapes = await databaseShape();
    expect(Object.keys(shapes).sort(), "tables in the database vs models in schema.prisma").toEqual(
      Object.keys(prismaShape()).sort(),
    );
  });

  it("agree on every column, key, unique constraint, index and foreign key", async () => {
    const expected = prismaShape();
    const shapes = await databaseShape();
    const common = Object.keys(expected).filter((table) => table in shapes);
    // One comparison, so that the diff shows every drifting table at once.
    expect(
      Object.fromEntries(common.map((table) => [table, shapes[table]])),
      "the migrated database (received) vs schema.prisma (expected)",
    ).toEqual(Object.fromEntries(common.map((table) => [table, expected[table]])));
  });
});
