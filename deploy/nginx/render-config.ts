import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

export type NginxSettings = {
  /** Where nginx writes its pid, logs and temporary files (created if missing). */
  runDir: string;
  /** The listen directive's argument, e.g. "127.0.0.1:3000". */
  listen: string;
  webUpstream: string;
  realtimeUpstream: string;
};

const templatePath = path.join(import.meta.dirname, "erp.conf.template");

/** Fills in the template; refuses a value that could smuggle in a directive. */
export async function renderNginxConfig(settings: NginxSettings): Promise<string> {
  const values: Record<string, string> = {
    RUN_DIR: settings.runDir,
    LISTEN: settings.listen,
    WEB_UPSTREAM: settings.webUpstream,
    REALTIME_UPSTREAM: settings.realtimeUpstream,
  };
  for (const [name, value] of Object.entries(values)) {
    if (!/^[\w./:[\]-]+$/.test(value)) throw new Error(`nginx setting ${name}=${JSON.stringify(value)} is not allowed`);
  }
  const template = await readFile(templatePath, "utf8");
  const rendered = template.replace(/\{\{([A-Z_]+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`the nginx template names {{${name}}}, which has no value`);
    return value;
  });
  return rendered;
}

/** Renders the config into runDir/nginx.conf and returns its path. */
export async function writeNginxConfig(settings: NginxSettings): Promise<string> {
  await mkdir(settings.runDir, { recursive: true });
  const file = path.join(settings.runDir, "nginx.conf");
  await writeFile(file, await renderNginxConfig(settings));
  return file;
}
