import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { log } from "./log";

const run = promisify(execFile);

export type TlsFiles = { certificate: string; key: string; description: string };

/**
 * ERP_TLS_CERT and ERP_TLS_KEY when given; else the self-signed trial
 * certificate in <dataDir>/tls, made once by deploy/nginx/make-trial-cert.sh.
 */
export async function resolveTlsFiles({
  root,
  dataDir,
  certificate,
  key,
}: {
  root: string;
  dataDir: string;
  certificate?: string;
  key?: string;
}): Promise<TlsFiles> {
  if (certificate && key) {
    for (const file of [certificate, key])
      if (!existsSync(file)) throw new Error(`${file} (ERP_TLS_CERT/ERP_TLS_KEY) does not exist`);
    return { certificate, key, description: `certificate ${certificate}` };
  }
  const dir = path.join(dataDir, "tls");
  const trial = { certificate: path.join(dir, "trial.crt"), key: path.join(dir, "trial.key") };
  if (!existsSync(trial.certificate) || !existsSync(trial.key)) {
    log(`making a self-signed trial certificate in ${dir}`);
    try {
      await run("bash", [path.join(root, "deploy/nginx/make-trial-cert.sh"), dir]);
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr?.trim();
      throw new Error(`could not make the trial certificate: ${stderr || (error as Error).message}`);
    }
  }
  return { ...trial, description: `self-signed trial certificate ${trial.certificate} (browsers will warn)` };
}
