/**
 * Serves the dashboard's static files (built by `npm run build` into dist/dashboard) on their own
 * port, plus `/config.json` telling the page which port the node's RPC listens on. The page reads
 * everything else from that RPC over WebSocket, like any other client; this server has no API.
 */
import http from "node:http";
import { existsSync, readFileSync, statSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "../util/logger.js";
import { NodeError } from "../util/errors.js";

export class DashboardServerError extends NodeError<{ code: "LISTEN_FAILED"; port: number; reason: string }> {}

export interface DashboardServerOptions {
  host: string;
  port: number;
  /** the node's JSON-RPC port, handed to the page */
  rpcPort: number;
  /** override the static directory (tests) */
  staticDir?: string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".map": "application/json",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

/** dist/dashboard, from the compiled file (dist/src/dashboard) or from the sources (src/dashboard). */
export function findDashboardDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, "../../dashboard"), resolve(here, "../../dist/dashboard")];
  return candidates.find((dir) => existsSync(join(dir, "index.html")));
}

export class DashboardServer {
  private server?: http.Server;
  private readonly dir?: string;

  constructor(
    private readonly opts: DashboardServerOptions,
    private readonly modules: { logger: Logger },
  ) {
    this.dir = opts.staticDir ?? findDashboardDir();
  }

  async start(): Promise<{ port: number }> {
    const { logger } = this.modules;
    if (!this.dir) logger.warn("Dashboard files are missing (dist/dashboard): run `npm run build`; the page will say so");
    const server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolvePromise, reject) => {
      server.once("error", (err) => reject(new DashboardServerError({ code: "LISTEN_FAILED", port: this.opts.port, reason: err.message }, `dashboard port ${this.opts.port}: ${err.message}`)));
      server.listen(this.opts.port, this.opts.host, () => resolvePromise());
    });
    server.on("error", (err) => logger.error({ err }, "Dashboard server error"));
    this.server = server;
    return { port: (server.address() as AddressInfo).port };
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    const path = decodeURIComponent((req.url ?? "/").split("?")[0]);
    if (path === "/config.json") {
      this.send(res, 200, TYPES[".json"], JSON.stringify({ rpcPort: this.opts.rpcPort }));
      return;
    }
    if (!this.dir) {
      this.send(res, 503, "text/plain; charset=utf-8", "The dashboard is not built: run `npm run build` and restart the node.\n");
      return;
    }
    const rel = path === "/" ? "index.html" : path.replace(/^\/+/, "");
    const file = normalize(join(this.dir, rel));
    // never serve anything outside the dashboard directory
    if (!file.startsWith(this.dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      this.send(res, 404, "text/plain; charset=utf-8", "Not found\n");
      return;
    }
    this.send(res, 200, TYPES[extname(file)] ?? "application/octet-stream", readFileSync(file), req.method === "HEAD");
  }

  private send(res: http.ServerResponse, status: number, type: string, body: string | Buffer, headOnly = false): void {
    // the page and its script change with each build; a stale cached copy would talk to a new node
    res.writeHead(status, { "content-type": type, "cache-control": "no-cache" }).end(headOnly ? undefined : body);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolvePromise) => {
      server.close(() => resolvePromise());
      server.closeAllConnections();
    });
  }
}
