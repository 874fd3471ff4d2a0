/**
 * SubtensorModule calls: serving (serving.rs at de1026780) — `serve_axon` (4) and
 * `serve_prometheus` (5). A hotkey registered on any subnet announces its endpoint; the record is
 * stored per (netuid, hotkey) with the block it was served at, which drives `ServingRateLimit`.
 *
 * As in Rust, the netuid itself is not checked (only that the hotkey is registered somewhere), and
 * the checks run in this order: registration, ip type, ip address, rate limit, port.
 */
import { isHotkeyRegisteredOnAnyNetwork } from "../subnetsInit.js";
import { u8, u16, u32, u128 } from "../../../../codec/scale.js";
import type { StorageAccess } from "../../../../state/types.js";
import type { CallDecl } from "../../../frame/pallet.js";
import { ensureSigned, type HookContext } from "../../../frame/dispatch.js";
import { subtensorError } from "../errors.js";
import { subtensorEvent } from "../events.js";
import { Axons, Prometheus, ServingRateLimit, type AxonInfo, type PrometheusInfo } from "../storage.js";

/** The runtime's RocksDbWeight: 25 µs per read, 100 µs per write (ref_time in picoseconds). */
const dbWeight = (reads: bigint, writes: bigint): bigint => reads * 25_000_000n + writes * 100_000_000n;

const U32_MAX = 0xffff_ffffn;
const U128_MAX = (1n << 128n) - 1n;
const IPV4_LOCALHOST = 0x7f00_0001n;
const IPV6_LOCALHOST = 1n;


/** `is_valid_ip_type`: 4 or 6. */
export const isValidIpType = (ipType: number): boolean => ipType === 4 || ipType === 6;

/**
 * `is_valid_ip_address`: never 0; IPv4 below u32::MAX (so 255.255.255.255 is refused too) and not
 * 127.0.0.1; IPv6 neither all-ones nor ::1. Private ranges are accepted (a Rust @todo).
 */
export function isValidIpAddress(ipType: number, addr: bigint): boolean {
  if (!isValidIpType(ipType)) return false;
  if (addr === 0n) return false;
  if (ipType === 4 && (addr >= U32_MAX || addr === IPV4_LOCALHOST)) return false;
  if (ipType === 6 && (addr === U128_MAX || addr === IPV6_LOCALHOST)) return false;
  return true;
}

/** `axon_passes_rate_limit` / `prometheus_passes_rate_limit`: limit 0, never served, or old enough. */
export function passesServingRateLimit(state: StorageAccess, netuid: number, lastServe: bigint, currentBlock: bigint): boolean {
  const limit = ServingRateLimit.get(state, netuid);
  return limit === 0n || lastServe === 0n || (currentBlock > lastServe ? currentBlock - lastServe : 0n) >= limit;
}

/** Registration, ip type and ip address checks shared by both calls. */
function checkEndpoint(state: StorageAccess, hotkey: Uint8Array, ip: bigint, ipType: number): void {
  if (!isHotkeyRegisteredOnAnyNetwork(state, hotkey)) throw subtensorError("HotKeyNotRegisteredInNetwork");
  if (!isValidIpType(ipType)) throw subtensorError("InvalidIpType");
  if (!isValidIpAddress(ipType, ip)) throw subtensorError("InvalidIpAddress");
}

interface ServeAxonArgs {
  netuid: number;
  version: number;
  ip: bigint;
  port: number;
  ipType: number;
  protocol: number;
  placeholder1: number;
  placeholder2: number;
}

interface ServePrometheusArgs {
  netuid: number;
  version: number;
  ip: bigint;
  port: number;
  ipType: number;
}

/** `do_serve_axon`. */
export function doServeAxon(ctx: HookContext, hotkey: Uint8Array, a: ServeAxonArgs): void {
  checkEndpoint(ctx.state, hotkey, a.ip, a.ipType);
  const current = BigInt(ctx.block.number);
  const prevBlock = Axons.get(ctx.state, a.netuid, hotkey)?.block ?? 0n;
  if (!passesServingRateLimit(ctx.state, a.netuid, prevBlock, current)) throw subtensorError("ServingRateLimitExceeded");
  if (a.port === 0) throw subtensorError("InvalidPort");
  const axon: AxonInfo = {
    block: current,
    version: a.version,
    ip: a.ip,
    port: a.port,
    ipType: a.ipType,
    protocol: a.protocol,
    placeholder1: a.placeholder1,
    placeholder2: a.placeholder2,
  };
  Axons.put(ctx.state, axon, a.netuid, hotkey);
  ctx.deposit(subtensorEvent("AxonServed", [a.netuid, hotkey]));
}

/** `do_serve_prometheus`. */
export function doServePrometheus(ctx: HookContext, hotkey: Uint8Array, a: ServePrometheusArgs): void {
  checkEndpoint(ctx.state, hotkey, a.ip, a.ipType);
  const current = BigInt(ctx.block.number);
  const prevBlock = Prometheus.get(ctx.state, a.netuid, hotkey)?.block ?? 0n;
  if (!passesServingRateLimit(ctx.state, a.netuid, prevBlock, current)) throw subtensorError("ServingRateLimitExceeded");
  if (a.port === 0) throw subtensorError("InvalidPort");
  const info: PrometheusInfo = { block: current, version: a.version, ip: a.ip, port: a.port, ipType: a.ipType };
  Prometheus.put(ctx.state, info, a.netuid, hotkey);
  ctx.deposit(subtensorEvent("PrometheusServed", [a.netuid, hotkey]));
}

const arg = (name: string, type: typeof u8 | typeof u16 | typeof u32 | typeof u128, typeName: string) => ({ name, type, typeName });

/** The signed extension's catch-all arm: every non-weight call gets u64::MAX priority. */
const vanillaPriority = () => ({ priority: (1n << 64n) - 1n });

export const servingCalls: CallDecl[] = [
  {
    name: "serve_axon",
    index: 4,
    args: [
      arg("netuid", u16, "u16"),
      arg("version", u32, "u32"),
      arg("ip", u128, "u128"),
      arg("port", u16, "u16"),
      arg("ip_type", u8, "u8"),
      arg("protocol", u8, "u8"),
      arg("placeholder1", u8, "u8"),
      arg("placeholder2", u8, "u8"),
    ],
    origin: "signed",
    weight: () => 46_000_000n + dbWeight(4n, 1n),
    class: "Normal",
    paysFee: false,
    docs: ["---- Serves or updates axon /prometheus information for the neuron associated with the caller (the hotkey)."],
    validate: vanillaPriority,
    dispatch: (ctx, a: ServeAxonArgs) => doServeAxon(ctx, ensureSigned(ctx.origin), a),
  },
  {
    name: "serve_prometheus",
    index: 5,
    args: [arg("netuid", u16, "u16"), arg("version", u32, "u32"), arg("ip", u128, "u128"), arg("port", u16, "u16"), arg("ip_type", u8, "u8")],
    origin: "signed",
    weight: () => 45_000_000n + dbWeight(4n, 1n),
    class: "Normal",
    paysFee: false,
    docs: ["---- Set prometheus information for the neuron."],
    validate: vanillaPriority,
    dispatch: (ctx, a: ServePrometheusArgs) => doServePrometheus(ctx, ensureSigned(ctx.origin), a),
  },
];

/** Serving has no per-block work. */
export function servingOnInitialize(_ctx: HookContext): void {}
