import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { appendFile, chmod, chown, copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

// A throwaway PostgreSQL cluster from Debian's packages, for tests of the
// server configuration in this folder: created with initdb in a temporary
// directory, run as the postgres system user on a free loopback port, and
// removed afterwards. Administration goes through the cluster's own Unix
// socket as the postgres user (peer), exactly as pg_hba.conf allows.

const run = promisify(execFile);

function debianBinDir(): string {
  const base = "/usr/lib/postgresql";
  const versions = existsSync(base) ? readdirSync(base).filter((v) => /^\d+$/.test(v)) : [];
  const newest = versions.sort((a, b) => Number(a) - Number(b)).at(-1);
  if (!newest || !existsSync(path.join(base, newest, "bin/initdb"))) {
    throw new Error(
      "PostgreSQL's server binaries are not installed (apt-get install -y postgresql): cannot test the configuration",
    );
  }
  return path.join(base, newest, "bin");
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export class TestCluster {
  readonly bin = debianBinDir();
  dir = "";
  port = 0;

  get data(): string {
    return path.join(this.dir, "data");
  }

  private asPostgres(command: string, args: string[]) {
    return run("runuser", ["-u", "postgres", "--", path.join(this.bin, command), ...args], { timeout: 120_000 });
  }

  /** initdb, TLS with a self-signed certificate, and `include_dir = 'conf.d'` as on Debian. */
  async create(): Promise<void> {
    if (process.getuid?.() !== 0)
      throw new Error("the PostgreSQL configuration test runs initdb as postgres: run it as root");
    this.dir = await mkdtemp(path.join(tmpdir(), "erp-pgconf-"));
    await chmod(this.dir, 0o755);
    const { stdout: uid } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    await chown(this.dir, Number(uid), Number(gid));
    await this.asPostgres("initdb", [
      "-D",
      this.data,
      "-U",
      "postgres",
      "--auth=peer",
      "--encoding=UTF8",
      "--locale=C",
    ]);
    await run("runuser", [
      ...["-u", "postgres", "--", "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"],
      ...[
        "-subj",
        "/CN=erp-test",
        "-keyout",
        path.join(this.data, "server.key"),
        "-out",
        path.join(this.data, "server.crt"),
      ],
    ]);
    await chmod(path.join(this.data, "server.key"), 0o600);
    await mkdir(path.join(this.data, "conf.d"));
    await appendFile(path.join(this.data, "postgresql.conf"), "\ninclude_dir = 'conf.d'\n");
    this.port = await freePort();
  }

  /** Puts a file into conf.d (read in name order: later files win). */
  async addConf(name: string, source: { file?: string; text?: string }): Promise<void> {
    const target = path.join(this.data, "conf.d", name);
    if (source.file) await copyFile(source.file, target);
    else await writeFile(target, source.text ?? "");
    await run("chown", ["postgres:postgres", target]);
  }

  async writeHba(text: string): Promise<void> {
    await writeFile(path.join(this.data, "pg_hba.conf"), text);
  }

  /** Starts the server on this cluster's port and socket directory, with extra -c flags if given. */
  async start(flags: string[] = []): Promise<void> {
    const options = [
      `-c port=${this.port}`,
      `-c unix_socket_directories=${this.dir}`,
      "-c ssl=on",
      ...flagPairs(flags),
    ];
    try {
      await this.asPostgres("pg_ctl", [
        "-D",
        this.data,
        "-l",
        path.join(this.dir, "log"),
        "-w",
        "-t",
        "90",
        "-o",
        options.join(" "),
        "start",
      ]);
    } catch (error) {
      const log = await run("tail", ["-n", "20", path.join(this.dir, "log")]).catch(() => ({ stdout: "" }));
      throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${log.stdout}`);
    }
  }

  async stop(): Promise<void> {
    if (existsSync(path.join(this.data, "postmaster.pid"))) {
      await this.asPostgres("pg_ctl", ["-D", this.data, "-m", "fast", "-w", "stop"]);
    }
  }

  /** psql as the postgres superuser over the Unix socket; one value per line. */
  async psql(sql: string, database = "postgres"): Promise<string> {
    const { stdout } = await run(
      "runuser",
      [
        "-u",
        "postgres",
        "--",
        "psql",
        "-X",
        "-h",
        this.dir,
        "-p",
        String(this.port),
        "-d",
        database,
        "-At",
        "-v",
        "ON_ERROR_STOP=1",
        "-c",
        sql,
      ],
      { timeout: 60_000 },
    );
    return stdout.trim();
  }

  /** Tries to log in over TCP from a given loopback source address; "ok" or the server's refusal. */
  async tryLogin(options: {
    from: string;
    user: string;
    password: string;
    database: string;
    ssl: boolean;
  }): Promise<string> {
    const { from } = options;
    // pg connects its own socket; this one binds the source address first.
    class BoundSocket extends net.Socket {
      override connect(...args: unknown[]) {
        const [port, host] = args as [number, string];
        return super.connect({ port, host, localAddress: from });
      }
    }
    const client = new pg.Client({
      host: "127.0.0.1",
      port: this.port,
      user: options.user,
      password: options.password,
      database: options.database,
      ssl: options.ssl ? { rejectUnauthorized: false } : false,
      stream: () => new BoundSocket(),
      connectionTimeoutMillis: 20_000,
    });
    try {
      await client.connect();
      const { rows } = await client.query<{ addr: string }>("SELECT host(inet_client_addr()) AS addr");
      return rows[0]?.addr === from ? "ok" : `ok, but from ${rows[0]?.addr}`;
    } catch (error) {
      return (error as Error).message;
    } finally {
      await client.end().catch(() => {});
    }
  }

  async destroy(): Promise<void> {
    if (!this.dir) return;
    await this.stop().catch(() => {});
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** ["-c", "a=b", "-c", "c=d"] as pg_ctl -o wants them, values quoted. */
function flagPairs(flags: string[]): string[] {
  const pairs: string[] = [];
  for (let i = 0; i < flags.length; i += 2) {
    const setting = flags[i + 1] ?? "";
    const at = setting.indexOf("=");
    pairs.push(`-c ${setting.slice(0, at)}='${setting.slice(at + 1).replaceAll("'", "'\\''")}'`);
  }
  return pairs;
}
