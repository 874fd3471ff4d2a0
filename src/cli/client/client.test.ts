/** The client's pure parts: amounts, weights input, the error table's coverage, lock cost and epoch formulas. */
import { describe, expect, it } from "vitest";
import { formatTao, parseAmount, parseProportion, taoString } from "./amount.js";
import { CliError } from "./cliError.js";
import { explainChainError, explainSubmissionError, refusal } from "./errorHelp.js";
import { blocksUntilNextEpoch, ipToString, lockCostFrom } from "./chainReader.js";
import { checkSameLength, parseUids, weightsToU16 } from "./weightsInput.js";
import { setterName, SETTER_ALIASES, SUBNET_HYPERPARAMETERS } from "./hyperparameters.js";
import { createRuntime } from "../../chain/runtime/index.js";
import { getNetworkLockCost } from "../../chain/runtime/pallets/subtensor/registration/lockCost.js";
import { NetworkLastLockCost, NetworkLastRegistered, NetworkLockReductionInterval, NetworkMinLockCost } from "../../chain/runtime/pallets/subtensor/storage.js";
import { ipToU128 } from "../commands/axon.js";
import { adminUtilsCalls } from "../../chain/runtime/pallets/adminUtils/calls.js";

describe("amounts", () => {
  it("formats RAO as τ with 9 decimals and parses TAO or RAO back exactly", () => {
    expect(formatTao(1_500_000_000n)).toBe("τ1.500000000");
    expect(formatTao(1_234_567_000_000_001n)).toBe("τ1,234,567.000000001");
    expect(taoString(42n)).toBe("0.000000042");
    expect(parseAmount("1.5")).toBe(1_500_000_000n);
    expect(parseAmount("τ0.000000001")).toBe(1n);
    expect(parseAmount(".25")).toBe(250_000_000n);
    expect(parseAmount("1500000000", { rao: true })).toBe(1_500_000_000n);
    // not through a float: 0.1 + 0.2 style errors cannot happen
    expect(parseAmount("0.300000001")).toBe(300_000_001n);
  });

  it("refuses what is not an amount, with a hint", () => {
    for (const bad of ["", "abc", "-1", "1.0000000001", "1e3", "1,5"]) expect(() => parseAmount(bad)).toThrow(CliError);
    expect(() => parseAmount("1.5", { rao: true })).toThrow(/whole number of RAO/);
  });

  it("reads takes as fractions or percentages into u16", () => {
    expect(parseProportion("0.18")).toBe(11796);
    expect(parseProportion("18%")).toBe(11796);
    expect(() => parseProportion("120%")).toThrow(/above 100%/);
  });
});

describe("weights input", () => {
  it("max-upscales weights so the largest is 65535, as btcli sends them", () => {
    expect(weightsToU16([0.2, 0.3, 0.5])).toEqual([26214, 39321, 65535]);
    expect(weightsToU16([1, 1])).toEqual([65535, 65535]);
    expect(() => weightsToU16([0, 0])).toThrow(/above 0/);
    expect(parseUids("0, 1,2")).toEqual([0, 1, 2]);
    expect(() => parseUids("0,70000")).toThrow(/not a UID/);
    expect(() => checkSameLength([0, 1], [1])).toThrow(/2 UIDs but 1 weights/);
    expect(() => checkSameLength([1, 1], [1, 1])).toThrow(/twice/);
  });
});

describe("chain error explanations", () => {
  it("explain every SubtensorModule, AdminUtils, Balances and Sudo error the runtime declares", () => {
    const runtime = createRuntime({ faucet: true });
    const missing: string[] = [];
    for (const pallet of runtime.pallets) {
      if (!["SubtensorModule", "AdminUtils", "Balances", "Sudo"].includes(pallet.name)) continue;
      for (const e of pallet.errors) if (!explainChainError(`${pallet.name}.${e.name}`)) missing.push(`${pallet.name}.${e.name}`);
    }
    expect(missing).toEqual([]);
  });

  it("name the subnet, wallet and next command in the advice", () => {
    const help = explainChainError("SubtensorModule.HotKeyNotRegisteredInSubNet", { netuid: 3, wallet: "w", hotkeyName: "h" })!;
    expect(help.explain).toBe("this hotkey has no UID on subnet 3");
    expect(help.next).toBe("register it first with `subtensor-ts subnet register --netuid 3 --wallet w --hotkey h`");
    const e = refusal("SubtensorModule.SubNetworkDoesNotExist", { netuid: 9 });
    expect(e.message).toBe("SubNetworkDoesNotExist: subnet 9 does not exist");
    expect(e.chainError).toBe("SubtensorModule.SubNetworkDoesNotExist");
    expect(explainChainError("BadOrigin")?.explain).toMatch(/neither/);
    expect(explainSubmissionError("1010: Invalid Transaction: Inability to pay some fees , e.g. account balance too low")?.explain).toMatch(/cannot pay the transaction fee/);
  });
});

describe("formulas the reader repeats", () => {
  it("lock cost equals the runtime's get_network_lock_cost", () => {
    const cases = [
      { lastLock: 10_000_000_000n, minLock: 1_000_000_000n, lastBlock: 0n, interval: 100_800n, block: 5n },
      { lastLock: 2_000_000_000_000n, minLock: 1_000_000_000_000n, lastBlock: 100n, interval: 100_800n, block: 5_000n },
      { lastLock: 2_000_000_000_000n, minLock: 1_000_000_000_000n, lastBlock: 100n, interval: 0n, block: 100n },
      { lastLock: 2_000_000_000_000n, minLock: 1_000n, lastBlock: 100n, interval: 0n, block: 101n },
    ];
    for (const c of cases) {
      const map = new Map<string, Uint8Array>();
      const state = { get: (k: Uint8Array) => map.get(Buffer.from(k).toString("hex")), set: (k: Uint8Array, v: Uint8Array) => void map.set(Buffer.from(k).toString("hex"), v), delete: () => undefined, keys: () => [] };
      NetworkLastLockCost.put(state, c.lastLock);
      NetworkMinLockCost.put(state, c.minLock);
      NetworkLastRegistered.put(state, c.lastBlock);
      NetworkLockReductionInterval.put(state, c.interval);
      expect(lockCostFrom(c)).toBe(getNetworkLockCost(state, c.block));
    }
  });

  it("blocks until the next epoch follow Subtensor's tempo − (block + netuid + 1) % (tempo + 1)", () => {
    // subnet 1, tempo 99: 0 (the epoch runs) at blocks 97, 197, …
    expect(blocksUntilNextEpoch(1, 99, 97)).toBe(0);
    expect(blocksUntilNextEpoch(1, 99, 98)).toBe(99);
    expect(blocksUntilNextEpoch(1, 99, 0)).toBe(97);
    expect(blocksUntilNextEpoch(3, 0, 10)).toBeNull();
  });

  it("turns IPs into serve_axon's u128 and back", () => {
    expect(ipToU128("10.0.0.5")).toEqual({ value: 167772165n, type: 4 });
    expect(ipToString(167772165n, 4)).toBe("10.0.0.5");
    const v6 = ipToU128("2001:db8::1");
    expect(v6.type).toBe(6);
    expect(ipToString(v6.value, 6)).toBe("2001:db8:0:0:0:0:0:1");
    expect(() => ipToU128("300.1.1.1")).toThrow(/not an IPv4/);
  });
});

describe("hyperparameter names", () => {
  it("map btcli's names onto AdminUtils setters that exist", () => {
    const setters = new Set(adminUtilsCalls.map((c) => c.name));
    for (const h of SUBNET_HYPERPARAMETERS) if (h.setter) expect(setters.has(`sudo_set_${h.setter}`), h.setter).toBe(true);
    expect(SETTER_ALIASES.weights_version).toBe("weights_version_key");
    expect(setterName("sudoSetYuma3Enabled")).toBe("yuma3_enabled");
    expect(setterName("sudo_set_tempo")).toBe("tempo");
    expect(setterName("swapAuthorities")).toBeUndefined();
  });
});
