import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { NodeKeyError, generateNodeKeySecret, loadNodeKey, nodeKeyFromSecret, parseNodeKeyHex, peerIdOfSecret, readNodeKeyFile, writeNodeKeyFile } from "./nodeKey.js";

/** Substrate's test vector (sc-network's node key tests, subkey inspect-node-key). */
const SECRET_ONE = "0000000000000000000000000000000000000000000000000000000000000001";
const PEER_ID_ONE = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";
const one = () => {
  const s = new Uint8Array(32);
  s[31] = 1;
  return s;
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nodekey-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const expectBadKey = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(NodeKeyError);
    expect((e as NodeKeyError).code).toBe("BAD_NODE_KEY");
    return;
  }
  throw new Error("expected a BAD_NODE_KEY error");
};

describe("peer ids", () => {
  it("the secret 0x00…01 gives Substrate's peer id", async () => {
    expect(await peerIdOfSecret(one())).toBe(PEER_ID_ONE);
    expect(peerIdFromPrivateKey(await nodeKeyFromSecret(parseNodeKeyHex(SECRET_ONE))).toString()).toBe(PEER_ID_ONE);
  });

  it("different secrets give different peer ids; a secret must be 32 bytes", async () => {
    const a = generateNodeKeySecret();
    const b = generateNodeKeySecret();
    expect(a.length).toBe(32);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(await peerIdOfSecret(a)).not.toBe(await peerIdOfSecret(b));
    expect(await peerIdOfSecret(a)).toBe(await peerIdOfSecret(a.slice()));
    await expect(nodeKeyFromSecret(new Uint8Array(31))).rejects.toBeInstanceOf(NodeKeyError);
    await expect(nodeKeyFromSecret(new Uint8Array(64))).rejects.toMatchObject({ code: "BAD_NODE_KEY" });
  });
});

describe("parseNodeKeyHex", () => {
  it("accepts 64 hex digits with or without 0x, either case, around whitespace", () => {
    for (const s of [SECRET_ONE, `0x${SECRET_ONE}`, ` ${SECRET_ONE}\n`, SECRET_ONE.toUpperCase().replace(/^/, "0x")]) {
      expect(Buffer.from(parseNodeKeyHex(s)).equals(Buffer.from(one()))).toBe(true);
    }
  });

  it("refuses other lengths and non-hex", () => {
    expectBadKey(() => parseNodeKeyHex(SECRET_ONE.slice(2)));
    expectBadKey(() => parseNodeKeyHex(SECRET_ONE + "00"));
    expectBadKey(() => parseNodeKeyHex("0x"));
    expectBadKey(() => parseNodeKeyHex(""));
    expectBadKey(() => parseNodeKeyHex("zz" + SECRET_ONE.slice(2)));
    expectBadKey(() => parseNodeKeyHex("0x0x" + SECRET_ONE.slice(4)));
  });
});

describe("node key files", () => {
  it("reads 32 raw bytes (what Substrate writes)", () => {
    const f = join(dir, "raw");
    writeFileSync(f, one());
    expect(Buffer.from(readNodeKeyFile(f)).equals(Buffer.from(one()))).toBe(true);
  });

  it("reads hex with or without 0x, with a trailing newline", () => {
    for (const text of [SECRET_ONE, `0x${SECRET_ONE}`, `${SECRET_ONE}\n`, `0x${SECRET_ONE}\r\n`]) {
      const f = join(dir, "hex");
      writeFileSync(f, text);
      expect(Buffer.from(readNodeKeyFile(f)).equals(Buffer.from(one()))).toBe(true);
    }
  });

  it("refuses files of other lengths with BAD_NODE_KEY", () => {
    for (const content of [new Uint8Array(31), new Uint8Array(33), new Uint8Array(0), new Uint8Array(64), Buffer.from(SECRET_ONE.slice(2)), Buffer.from("not a key at all")]) {
      const f = join(dir, "bad");
      writeFileSync(f, content);
      expectBadKey(() => readNodeKeyFile(f));
    }
  });

  it("a missing file is NODE_KEY_UNREADABLE with its path", () => {
    const f = join(dir, "missing");
    try {
      readNodeKeyFile(f);
      throw new Error("should not read");
    } catch (e) {
      expect(e).toBeInstanceOf(NodeKeyError);
      expect((e as NodeKeyError).type).toMatchObject({ code: "NODE_KEY_UNREADABLE", path: f });
    }
  });

  it("writeNodeKeyFile creates the directories and a file only its owner can read", () => {
    const f = join(dir, "chains", "dev", "network", "secret_ed25519");
    writeNodeKeyFile(f, one());
    expect(Buffer.from(readFileSync(f)).equals(Buffer.from(one()))).toBe(true);
    expect(statSync(f).mode & 0o777).toBe(0o600);
  });
});

describe("loadNodeKey", () => {
  it("--node-key (hex) wins over the file and the default", async () => {
    const file = join(dir, "file");
    const other = generateNodeKeySecret();
    writeFileSync(file, other);
    const defaultFile = join(dir, "default", "secret_ed25519");
    const r = await loadNodeKey({ hex: SECRET_ONE, file, defaultFile });
    expect(r.source).toBe("--node-key");
    expect(peerIdFromPrivateKey(r.key).toString()).toBe(PEER_ID_ONE);
    expect(existsSync(defaultFile)).toBe(false);
  });

  it("--node-key-file wins over the default", async () => {
    const file = join(dir, "file");
    writeFileSync(file, one());
    const defaultFile = join(dir, "default", "secret_ed25519");
    const r = await loadNodeKey({ file, defaultFile });
    expect(r.source).toBe(file);
    expect(peerIdFromPrivateKey(r.key).toString()).toBe(PEER_ID_ONE);
    expect(existsSync(defaultFile)).toBe(false);
  });

  it("the default file is created once with a random key and reused", async () => {
    const defaultFile = join(dir, "chains", "local", "network", "secret_ed25519");
    const first = await loadNodeKey({ defaultFile });
    expect(first.source).toBe(defaultFile);
    expect(readFileSync(defaultFile).length).toBe(32);
    const secret = readFileSync(defaultFile);
    const second = await loadNodeKey({ defaultFile });
    expect(peerIdFromPrivateKey(second.key).toString()).toBe(peerIdFromPrivateKey(first.key).toString());
    expect(readFileSync(defaultFile).equals(secret)).toBe(true);
    expect(peerIdFromPrivateKey(first.key).toString()).toBe(await peerIdOfSecret(secret));
  });

  it("an existing default file (e.g. copied from a Substrate node) is used as is", async () => {
    const defaultFile = join(dir, "secret_ed25519");
    writeFileSync(defaultFile, one());
    expect(peerIdFromPrivateKey((await loadNodeKey({ defaultFile })).key).toString()).toBe(PEER_ID_ONE);
  });

  it("a bad hex or a bad file is an error, never a silently generated key", async () => {
    const defaultFile = join(dir, "default");
    await expect(loadNodeKey({ hex: "1234", defaultFile })).rejects.toMatchObject({ code: "BAD_NODE_KEY" });
    const bad = join(dir, "bad");
    writeFileSync(bad, "nonsense");
    await expect(loadNodeKey({ file: bad, defaultFile })).rejects.toMatchObject({ code: "BAD_NODE_KEY" });
    await expect(loadNodeKey({ file: join(dir, "absent"), defaultFile })).rejects.toMatchObject({ code: "NODE_KEY_UNREADABLE" });
    expect(existsSync(defaultFile)).toBe(false);
    // a corrupt default file is refused too
    writeFileSync(defaultFile, "corrupt");
    await expect(loadNodeKey({ defaultFile })).rejects.toMatchObject({ code: "BAD_NODE_KEY" });
  });
});
