// Renders deploy/nginx/erp.conf.template for a server, on stdout:
//
//   npx tsx deploy/nginx/render.ts --listen 192.168.10.50:443 \
//     --http-listen 192.168.10.50:80 --cert /etc/erp/tls/erp.crt --key /etc/erp/tls/erp.key \
//     --web 127.0.0.1:3000 --realtime 127.0.0.1:3001 [--realtime 127.0.0.1:3011 ...] \
//     --run-dir /var/lib/nginx/erp --pid-file /run/nginx.pid --log-dir /var/log/nginx \
//     > /etc/nginx/nginx.conf
//
// Without --cert and --key it renders plain HTTP on --listen (a trial behind
// another TLS terminator only). `npm start` renders the same template itself.
import { parseArgs } from "node:util";
import { renderNginxConfig } from "./render-config";

const { values } = parseArgs({
  options: {
    listen: { type: "string" },
    "http-listen": { type: "string" },
    cert: { type: "string" },
    key: { type: "string" },
    web: { type: "string", multiple: true },
    realtime: { type: "string", multiple: true },
    "run-dir": { type: "string" },
    "pid-file": { type: "string" },
    "log-dir": { type: "string" },
  },
});

function required(name: keyof typeof values): string {
  const value = values[name];
  if (typeof value !== "string" || !value) {
    process.stderr.write(`--${name} is required (see the top of deploy/nginx/render.ts)\n`);
    process.exit(2);
  }
  return value;
}

const listen = required("listen");
if (Boolean(values.cert) !== Boolean(values.key)) {
  process.stderr.write("--cert and --key go together\n");
  process.exit(2);
}
const httpsPort = Number(listen.slice(listen.lastIndexOf(":") + 1));
try {
  const config = await renderNginxConfig({
    runDir: required("run-dir"),
    pidFile: values["pid-file"],
    logDir: values["log-dir"],
    listen,
    webUpstreams: values.web ?? [],
    realtimeUpstreams: values.realtime ?? [],
    tls:
      values.cert && values.key
        ? { certificate: values.cert, key: values.key, httpListen: values["http-listen"], httpsPort }
        : undefined,
  });
  process.stdout.write(config);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
