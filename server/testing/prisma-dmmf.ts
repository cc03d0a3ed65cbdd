import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

// Prisma's own reading of schema.prisma (its DMMF), without the schema engine
// that cannot be downloaded here. The generated client (prisma-client, v7)
// keeps only a trimmed runtime data model (no nullability, ids or unique
// keys), and @prisma/internals is not installed; the prisma CLI package,
// however, ships the WebAssembly module that its own getDMMF calls. This
// loads that module and calls its get_dmmf export with the calling
// convention wasm-bindgen generated for it (see getDmmf in prisma/build/cli.js).
// If a Prisma upgrade changes the module's imports, this throws and says so.

export type DmmfField = {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  isUnique: boolean;
  hasDefaultValue: boolean;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
};

export type DmmfModel = {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  primaryKey: { name: string | null; fields: string[] } | null;
  uniqueFields: string[][];
  uniqueIndexes: { name: string | null; fields: string[] }[];
};

export type DmmfIndex = {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  isDefinedOnField: boolean;
  dbName?: string | null;
  fields: { name: string; sortOrder?: "asc" | "desc" }[];
};

export type Datamodel = { models: DmmfModel[]; enums: unknown[]; indexes: DmmfIndex[] };

type Exports = {
  memory: WebAssembly.Memory;
  __wbindgen_externrefs: WebAssembly.Table;
  __wbindgen_start: () => void;
  __wbindgen_malloc: (size: number, align: number) => number;
  __wbindgen_free: (ptr: number, size: number, align: number) => void;
  __externref_table_dealloc: (index: number) => void;
  get_dmmf: (ptr: number, len: number) => [number, number, number, number];
};

let instance: Exports | undefined;

function load(): Exports {
  if (instance) return instance;
  const require = createRequire(import.meta.url);
  const file = path.join(path.dirname(require.resolve("prisma/package.json")), "build", "prisma_schema_build_bg.wasm");
  const module = new WebAssembly.Module(readFileSync(file));
  const decoder = new TextDecoder();
  let exports: Exports | undefined;
  const text = (ptr: number, len: number) =>
    decoder.decode(new Uint8Array((exports as Exports).memory.buffer, ptr >>> 0, len));

  const known: Record<string, (...args: number[]) => unknown> = {
    set_message: (ptr, len) => {
      throw new Error(`prisma-schema-wasm panicked: ${text(ptr, len)}`);
    },
    Error: (ptr, len) => new Error(text(ptr, len)),
    throw: (ptr, len) => {
      throw new Error(text(ptr, len));
    },
    init_externref_table: () => {
      const table = (exports as Exports).__wbindgen_externrefs;
      const base = table.grow(4);
      table.set(0, undefined);
      table.set(base, undefined);
      table.set(base + 1, null);
      table.set(base + 2, true);
      table.set(base + 3, false);
    },
  };
  // Import names carry a hash suffix (__wbg_Error_e83987f665cf5504): match on the stable part.
  const imports: Record<string, Record<string, unknown>> = {};
  for (const { module: from, name } of WebAssembly.Module.imports(module)) {
    const stable = Object.keys(known).find(
      (k) => name === `__wbindgen_${k}` || new RegExp(`^__wbg_(__wbindgen_)?${k}_[0-9a-f]+$`).test(name),
    );
    if (!stable) throw new Error(`prisma-dmmf: the schema wasm asks for an unknown import ${from}.${name}`);
    imports[from] = { ...imports[from], [name]: known[stable] };
  }
  exports = new WebAssembly.Instance(module, imports as WebAssembly.Imports).exports as unknown as Exports;
  exports.__wbindgen_start();
  instance = exports;
  return exports;
}

/** The datamodel part of Prisma's DMMF for a schema, exactly as `prisma generate` sees it. */
export function getDatamodel(schema: string): Datamodel {
  const wasm = load();
  const input = new TextEncoder().encode(JSON.stringify({ prismaSchema: schema, noColor: true }));
  const ptr = wasm.__wbindgen_malloc(input.length, 1) >>> 0;
  new Uint8Array(wasm.memory.buffer, ptr, input.length).set(input);
  const [outPtr, outLen, errorRef, failed] = wasm.get_dmmf(ptr, input.length);
  if (failed) {
    const error = wasm.__wbindgen_externrefs.get(errorRef);
    wasm.__externref_table_dealloc(errorRef);
    throw error instanceof Error ? error : new Error(String(error));
  }
  const json = new TextDecoder().decode(new Uint8Array(wasm.memory.buffer, outPtr >>> 0, outLen));
  wasm.__wbindgen_free(outPtr, outLen, 1);
  return (JSON.parse(json) as { datamodel: Datamodel }).datamodel;
}
