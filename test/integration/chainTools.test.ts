/**
 * The offline chain tools on a real node's database: export-blocks → import-blocks into an empty
 * node reproduces the same state (export-state equal); check-block re-verifies a stored block;
 * a tampered file is refused by import's verification (seal, signatures) and leaves nothing behind.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiPromise, WsProvider } from "@polkadot/api";
import { Keyring } from "@polkadot/keyring";
import { NodeProcess } from "../utils/nodeProcess.js";
import { json, runCli } from "../utils/cli.js";
import { decodeBlockFile, encodeCount, encodeSignedBlock } from "../../src/chain/tools/blockFile.js";

let dir: string;
let transferBlock = 0;
const BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "subtensor-ts-tools-"));
  const node = NodeProcess.start(["start", "--dev", "--listen-addr", "/ip4/127.0.0.1/tcp/0", "--block-time", "500", "--rpc-port", "0", "--no-prometheus", "--base-path", join(dir, "a")]);
  try {
    const port = await node.rpcPort();
    const api = await ApiPromise.create({ provider: new WsProvider(`ws://127.0.0.1:${port}`), noInitWarn: true });
    try {
      // a signed transfer, so the exported blocks carry a signature for import to check
      const alice = new Keyring({ type: "sr25519" }).addFromUri("//Alice");
      transferBlock = await new Promise<number>((resolve, reject) => {
        api.tx.balances
          .transferKeepAlive(BOB, 12_345_000_000n)
          .signAndSend(alice, async ({ status }) => {
            if (status.isInBlock) resolve((await api.rpc.chain.getHeader(status.asInBlock)).number.toNumber());
          })
          .catch(reject);
      });
    } finally {
      await api.disconnect();
    }
    await node.waitFor((l) => l.msg.startsWith("Imported #") && (l.number as number) >= transferBlock + 3);
  } finally {
    await node.kill("SIGTERM");
  }
}, 90_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = (name: string) => ["--dev", "--base-path", join(dir, name)];

describe("export-blocks / import-blocks / check-block / export-state", () => {
  it("rebuild the same chain and state in an empty node, verifying every block", async () => {
    const file = join(dir, "blocks.bin");
    const exp = await runCli(["export-blocks", file, ...base("a")]);
    expect(exp.code, exp.stderr).toBe(0);
    const blocks = decodeBlockFile(readFileSync(file));
    expect(blocks[0].block.header.number).toBe(1);
    expect(blocks.some((b) => b.block.header.number === transferBlock && b.block.extrinsics.length === 2)).toBe(true);
    const justified = blocks.filter((b) => b.justifications !== undefined);
    expect(justified.length).toBeGreaterThan(0);

    const imp = json(await runCli(["import-blocks", file, ...base("b"), "--json"]));
    expect(imp).toMatchObject({ imported: blocks.length, skipped: 0, best: blocks.length });
    // the file's justifications were verified and applied: finality follows the source chain
    expect(imp.finalized).toBe(justified[justified.length - 1].block.header.number);
    const again = json(await runCli(["import-blocks", file, ...base("b"), "--json"]));
    expect(again).toMatchObject({ imported: 0, skipped: blocks.length });

    const stateA = json(await runCli(["export-state", String(blocks.length), ...base("a")]));
    const stateB = json(await runCli(["export-state", "best", ...base("b")]));
    expect(stateB.block).toEqual(stateA.block);
    expect(stateB.stateRoot).toBe(stateA.stateRoot);
    expect(stateB.genesis.raw.top).toEqual(stateA.genesis.raw.top);
    expect(stateA.keys).toBeGreaterThan(50);

    const check = json(await runCli(["check-block", String(transferBlock), ...base("b"), "--json"]));
    expect(check).toMatchObject({ ok: true, number: transferBlock, extrinsics: 2 });
  }, 120_000);

  it("refuse a block whose header or signed extrinsic was changed", async () => {
    const blocks = decodeBlockFile(readFileSync(join(dir, "blocks.bin")));
    const write = (name: string, list: typeof blocks) => {
      const path = join(dir, name);
      writeFileSync(path, Buffer.concat([encodeCount(list.length), ...list.map((b) => encodeSignedBlock(b))]));
      return path;
    };
    // a changed header no longer matches its author's seal
    const badHeader = blocks.map((b) => ({ ...b, block: { ...b.block, header: { ...b.block.header } } }));
    const third = badHeader[2].block.header;
    third.stateRoot = Uint8Array.from(third.stateRoot);
    third.stateRoot[0] ^= 1;
    const r1 = await runCli(["import-blocks", write("bad-header.bin", badHeader), ...base("c")]);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toMatch(/block #3 \(0x[0-9a-f]{64}\) is invalid: seal is not a valid signature/);
    expect(r1.stderr).toMatch(/nothing after block #2 was imported/);

    // a changed signature in the transfer's extrinsic
    const i = blocks.findIndex((b) => b.block.header.number === transferBlock);
    const badTx = blocks.slice(0, i + 1).map((b) => ({ ...b, block: { ...b.block, extrinsics: [...b.block.extrinsics] } }));
    const ext = Uint8Array.from(badTx[i].block.extrinsics[1]);
    ext[50] ^= 0xff; // inside the 64-byte signature (after length, version, address and signature type)
    badTx[i].block.extrinsics[1] = ext;
    const r2 = await runCli(["import-blocks", write("bad-tx.bin", badTx), ...base("d")]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(new RegExp(`block #${transferBlock} .* is invalid: extrinsic 1 has a bad signature`));
  }, 120_000);

  it("explain what is wrong with the input", async () => {
    const notFile = await runCli(["import-blocks", join(dir, "missing.bin"), ...base("e")]);
    expect(notFile.stderr).toMatch(/cannot read .*missing\.bin: ENOENT/);
    writeFileSync(join(dir, "junk.bin"), "hello");
    const junk = await runCli(["import-blocks", join(dir, "junk.bin"), ...base("e")]);
    expect(junk.stderr).toMatch(/is not a valid block file/);
    const noDb = await runCli(["check-block", "1", ...base("nowhere")]);
    expect(noDb.stderr).toMatch(/no chain database at/);
    const noBlock = await runCli(["check-block", "99999", ...base("a")]);
    expect(noBlock.stderr).toMatch(/there is no block #99999/);
  }, 60_000);
});
