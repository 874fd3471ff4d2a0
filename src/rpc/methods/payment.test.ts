import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callWeight } from "../../chain/runtime/executive.js";
import { computeFee } from "../../chain/runtime/pallets/transactionPayment.js";
import type { RuntimeCallValue } from "../../chain/runtime/frame/dispatch.js";
import { toHex } from "../../util/bytes.js";
import { TestNode } from "../../../test/utils/rpcHarness.js";

let node: TestNode;

beforeAll(async () => {
  node = await TestNode.create({ metadata: false });
});
afterAll(async () => {
  await node?.close();
});

describe("payment_queryInfo / payment_queryFeeDetails", () => {
  it("serve Substrate's JSON (weight V2 with snake_case fields, class camelCase, fee as a decimal string)", async () => {
    const ext = node.transfer(node.alice, node.bob.publicKey, 10n ** 9n);
    const { weight } = callWeight(node.runtime, node.chain.decode(ext).call as RuntimeCallValue);
    const fee = computeFee(ext.length, weight, 0n);
    expect(await node.callOk("payment_queryInfo", [toHex(ext)])).toEqual({
      weight: { ref_time: Number(weight), proof_size: 0 },
      class: "normal",
      partialFee: fee.total.toString(),
    });
    expect(await node.callOk("payment_queryInfo", [toHex(ext), toHex(node.chain.genesisHash)])).toMatchObject({ partialFee: fee.total.toString() });
    expect(await node.callOk("payment_queryFeeDetails", [toHex(ext)])).toEqual({
      inclusionFee: { baseFee: Number(fee.baseFee), lenFee: Number(fee.lenFee), adjustedWeightFee: Number(fee.adjustedWeightFee) },
    });
  });

  it("unsigned extrinsics pay no fee", async () => {
    const inherent = node.timestampInherent(1000n);
    expect(await node.callOk("payment_queryInfo", [toHex(inherent)])).toMatchObject({ class: "mandatory", partialFee: "0" });
    expect(await node.callOk("payment_queryFeeDetails", [toHex(inherent)])).toEqual({ inclusionFee: null });
  });

  it("answer errors 2 (undecodable) and 1 (runtime, e.g. unknown block)", async () => {
    expect((await node.call("payment_queryInfo", ["0x00"])).error).toMatchObject({ code: 2, message: "Unable to query dispatch info." });
    expect((await node.call("payment_queryFeeDetails", ["0x00"])).error).toMatchObject({ code: 2, message: "Unable to query fee details." });
    const unknown = "0x" + "aa".repeat(32);
    const ext = node.transfer(node.alice, node.bob.publicKey, 1n);
    expect((await node.call("payment_queryInfo", [toHex(ext), unknown])).error).toEqual({
      code: 1,
      message: "Unable to query dispatch info.",
      data: `Api called for an unknown Block: Header was not found in the database: ${unknown}`,
    });
  });
});
