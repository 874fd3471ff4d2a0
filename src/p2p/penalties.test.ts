import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { judgeImportError, type Judgement } from "./penalties.js";
import { BlockImportError, FinalityError, type BlockImportErrorType, type FinalityErrorType } from "../chain/blockchain/errors.js";

/**
 * Every BlockImportError code with what the network must do. The test below reads errors.ts so
 * that a new code fails here until it is judged (vitest does not type-check `satisfies`).
 */
const IMPORT_TABLE = {
  // nobody's fault, or not knowable yet
  ALREADY_KNOWN: { verdict: "ignore" },
  PARENT_UNKNOWN: { verdict: "ignore" },
  QUEUE_FULL: { verdict: "ignore" },
  // honest relays can send these: a mild penalty, no forwarding
  BELOW_FINALIZED: { verdict: "ignore", penalty: "highTolerance" },
  FUTURE_SLOT: { verdict: "ignore", penalty: "highTolerance" },
  // the equivocating author is to blame, not the relay
  EQUIVOCATION: { verdict: "ignore" },
  // invalid blocks: whoever sends them is broken or malicious
  UNKNOWN_BLOCK: { verdict: "ignore" },
  BAD_NUMBER: { verdict: "reject", penalty: "fatal" },
  BLOCK_TOO_LARGE: { verdict: "reject", penalty: "fatal" },
  BAD_SLOT: { verdict: "reject", penalty: "fatal" },
  BAD_AUTHOR: { verdict: "reject", penalty: "fatal" },
  BAD_SEAL: { verdict: "reject", penalty: "fatal" },
  BAD_SIGNATURE: { verdict: "reject", penalty: "fatal" },
  INVALID_EXTRINSIC: { verdict: "reject", penalty: "fatal" },
  INVALID_BLOCK: { verdict: "reject", penalty: "fatal" },
  STATE_ROOT_MISMATCH: { verdict: "reject", penalty: "fatal" },
  EXTRINSICS_ROOT_MISMATCH: { verdict: "reject", penalty: "fatal" },
  GENESIS_MISMATCH: { verdict: "ignore" },
} satisfies Record<BlockImportErrorType["code"], Judgement>;

const FINALITY_TABLE = {
  BAD_JUSTIFICATION: { verdict: "reject", penalty: "lowTolerance" },
  UNKNOWN_BLOCK: { verdict: "ignore" },
  CONFLICTS_WITH_FINALIZED: { verdict: "ignore" },
} satisfies Record<FinalityErrorType["code"], Judgement>;

/** The codes of a `type X = | { code: "A"; … } | …` union in errors.ts. */
function codesOf(typeName: string): string[] {
  const src = readFileSync(new URL("../chain/blockchain/errors.ts", import.meta.url), "utf8");
  const start = src.indexOf(`export type ${typeName}`);
  const end = src.indexOf(";\n\n", start);
  return [...src.slice(start, end).matchAll(/code: "([A-Z_]+)"/g)].map((m) => m[1]);
}

describe("judgeImportError", () => {
  it("the tables cover every code of errors.ts", () => {
    expect(codesOf("BlockImportErrorType").sort()).toEqual(Object.keys(IMPORT_TABLE).sort());
    expect(codesOf("FinalityErrorType").sort()).toEqual(Object.keys(FINALITY_TABLE).sort());
    expect(codesOf("BlockImportErrorType").length).toBeGreaterThan(10);
  });

  for (const [code, expected] of Object.entries(IMPORT_TABLE)) {
    it(`BlockImportError ${code} → ${expected.verdict}${"penalty" in expected ? ` (${expected.penalty})` : ""}`, () => {
      const e = new BlockImportError({ code, reason: "r", hash: "0x", number: 1, bytes: 1, index: 0, size: 1, stored: "a", expected: "b" } as unknown as BlockImportErrorType);
      expect(judgeImportError(e)).toEqual(expected);
    });
  }

  for (const [code, expected] of Object.entries(FINALITY_TABLE)) {
    it(`FinalityError ${code} → ${expected.verdict}`, () => {
      const e = new FinalityError({ code, hash: "0x", reason: "r" } as unknown as FinalityErrorType);
      expect(judgeImportError(e)).toEqual(expected);
    });
  }

  it("a rejected block is never forwarded and always blames the sender; an ignored one is never fatal", () => {
    for (const j of [...Object.values(IMPORT_TABLE), ...Object.values(FINALITY_TABLE)] as Judgement[]) {
      if (j.verdict === "reject") expect(j.penalty).toBeDefined();
      if (j.verdict === "ignore") expect(j.penalty).not.toBe("fatal");
      expect(j.verdict).not.toBe("accept");
    }
  });

  it("errors that are not import errors are our own bugs: ignored without blaming the peer", () => {
    for (const e of [new Error("boom"), new TypeError("x"), "a string", undefined, null, { code: "BAD_SEAL" }]) {
      expect(judgeImportError(e)).toEqual({ verdict: "ignore" });
    }
  });

  it("a code that is not in the table (a future one) is treated as invalid", () => {
    const e = new BlockImportError({ code: "SOMETHING_NEW" } as unknown as BlockImportErrorType);
    expect(judgeImportError(e)).toEqual({ verdict: "reject", penalty: "fatal" });
  });
});
