/**
 * The dashboard in headless Chromium (Debian's `chromium`, driven by playwright-core) against a
 * dev node process started with --dashboard: blocks advance on screen, and after subnet 1 runs an
 * epoch (sudo sets a short tempo; Alice stakes on its owner hotkey) the page opens its metagraph
 * with the stake, sees the epoch, and saves a screenshot in test-results/dashboard/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiPromise, WsProvider } from "@polkadot/api";
import { Keyring } from "@polkadot/keyring";
import type { SubmittableExtrinsic } from "@polkadot/api/types";
import type { BrowserContext, Page } from "playwright-core";
import { NodeProcess } from "../utils/nodeProcess.js";

const CHROMIUM = "/usr/bin/chromium";
const OUTPUT = join(__dirname, "../../test-results/dashboard");
// CI installs chromium (.ci/run); elsewhere the test runs when it is there
const runnable = existsSync(CHROMIUM) || Boolean(process.env.CI);

let dir: string;
let node: NodeProcess;
let api: ApiPromise;
let browser: BrowserContext;
let page: Page;
let dashboardPort: number;

async function send(call: SubmittableExtrinsic<"promise">): Promise<void> {
  const alice = new Keyring({ type: "sr25519" }).addFromUri("//Alice");
  await new Promise<void>((resolve, reject) => {
    call
      .signAndSend(alice, ({ status, dispatchError }) => {
        if (dispatchError) reject(new Error(dispatchError.toString()));
        else if (status.isInBlock) resolve();
      })
      .catch(reject);
  });
}

describe.skipIf(!runnable)("dashboard in headless Chromium", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "subtensor-ts-dash-"));
    node = NodeProcess.start(["start", "--dev", "--listen-addr", "/ip4/127.0.0.1/tcp/0", "--block-time", "1000", "--rpc-port", "0", "--no-prometheus", "--dashboard", "--dashboard-port", "0", "--base-path", join(dir, "node")]);
    const rpcPort = await node.rpcPort();
    dashboardPort = (await node.waitFor((l) => typeof l.dashboardPort === "number")).dashboardPort as number;
    api = await ApiPromise.create({ provider: new WsProvider(`ws://127.0.0.1:${rpcPort}`), noInitWarn: true });
    const { chromium } = await import("playwright-core");
    browser = await chromium.launchPersistentContext(join(dir, "chromium-profile"), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 1200 },
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await api?.disconnect();
    await node?.kill("SIGTERM");
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("shows blocks advancing, then a subnet's metagraph after its epoch", async () => {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${dashboardPort}/`);
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "connected", null, { timeout: 30_000 });
    const blockOnScreen = async () => Number((await page.textContent("#best-block"))!.replace(/[#,]/g, "") || "0");
    await page.waitForFunction(() => /^#\d/.test(document.getElementById("best-block")?.textContent ?? ""), null, { timeout: 30_000 });
    const first = await blockOnScreen();
    await page.waitForFunction((n) => Number((document.getElementById("best-block")?.textContent ?? "").replace(/[#,]/g, "")) > n, first, { timeout: 30_000 });
    expect(await blockOnScreen()).toBeGreaterThan(first);
    expect(await page.locator("#blocks-chart polyline").count()).toBe(1);
    expect(await page.textContent("#halving")).toMatch(/next halving at block #10,500,001/);

    // stake on subnet 1's owner hotkey and make its epochs frequent
    const ownerHotkey = new Keyring({ type: "sr25519" }).addFromUri("//Alice//owner").address;
    await send(api.tx.subtensorModule.addStake(ownerHotkey, 100_000_000_000n));
    await send(api.tx.sudo.sudo(api.tx.adminUtils.sudoSetTempo(1, 3)));
    await new Promise<void>((resolve) => {
      const unsub = api.query.system.events((events) => {
        if (events.some(({ event }) => event.section === "subtensorModule" && event.method === "EpochRun" && (event.data[0] as unknown as { toNumber(): number }).toNumber() === 1)) {
          void unsub.then((u) => u());
          resolve();
        }
      });
    });

    await page.click('#subnets-body tr[data-netuid="1"]');
    await page.waitForSelector("#metagraph-body tr[data-uid='0']", { timeout: 30_000 });
    expect(await page.textContent("#metagraph-title")).toBe("Subnet 1 metagraph");
    // Alice's 100 TAO (plus what epochs paid since) in the stake column
    await page.waitForFunction(() => Number((document.querySelector("#metagraph-body tr[data-uid='0'] td:nth-child(4)")?.textContent ?? "").replace(/[τ,]/g, "")) >= 100, null, { timeout: 30_000 });
    // the page sees the next epoch go by and says when
    await page.waitForFunction(() => /^#\d+/.test(document.getElementById("last-epoch")?.textContent ?? ""), null, { timeout: 30_000 });
    expect(await page.textContent("#epoch-countdown")).toMatch(/^\d+ blocks$/);
    expect(await page.locator("#stake-chart rect").count()).toBe(1);
    expect(await page.textContent('#subnets-body tr[data-netuid="1"] td:nth-child(3)')).toBe("3");
    // sortable: stake descending
    await page.click("#metagraph-head th[data-sort='stake']");
    expect(await page.getAttribute("#metagraph-head th[data-sort='stake']", "class")).toMatch(/desc/);

    mkdirSync(OUTPUT, { recursive: true });
    const shot = join(OUTPUT, "dashboard.png");
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot)).toBe(true);
    expect(errors).toEqual([]);
  }, 180_000);
});
