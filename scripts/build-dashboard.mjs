// Builds the dashboard's static files into dist/dashboard (part of `npm run build`): one bundled,
// minified ES module (the page code, @polkadot/api and the CLI's ChainReader), the page and its
// stylesheet. Nothing is fetched at run time, so the page works offline against a local node.
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "web", "dashboard");
const out = join(root, "dist", "dashboard");
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(src, "main.ts")],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  sourcemap: true,
  legalComments: "none",
  logLevel: "warning",
  outfile: join(out, "app.js"),
});
for (const file of ["index.html", "style.css"]) copyFileSync(join(src, file), join(out, file));
console.log(`dashboard built in ${out}`);
