import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { type NginxSettings, nginxArgs, writeNginxConfig } from "../nginx/render-config";
import type { Supervisor } from "./processes";
import { findExecutable } from "./which";

/** nginx from PATH, or where Debian and Homebrew put it (/usr/sbin is not on a normal user's PATH). */
export function findNginx(): string | undefined {
  return findExecutable("nginx", ["/usr/sbin", "/usr/local/sbin", "/usr/local/bin", "/opt/homebrew/bin"]);
}

export const nginxInstallHint =
  "install it for the real front door (Debian/Ubuntu: sudo apt-get install -y nginx; macOS: brew install nginx) and start again";

/**
 * Renders deploy/nginx/erp.conf.template into settings.runDir and runs nginx
 * on it in the foreground, supervised like every other process: its pid,
 * logs and temporary files stay in the run directory, so it needs neither
 * root nor system paths.
 */
export async function startNginx({
  supervisor,
  binary,
  settings,
}: {
  supervisor: Supervisor;
  binary: string;
  settings: NginxSettings;
}): Promise<string> {
  const configFile = await writeNginxConfig(settings);
  // A pid file left by an nginx that was killed with its launcher.
  const pidFile = path.join(settings.runDir, "nginx.pid");
  if (existsSync(pidFile)) await rm(pidFile);
  supervisor.start({ name: "nginx", command: binary, args: nginxArgs(configFile, settings.runDir) });
  return configFile;
}
