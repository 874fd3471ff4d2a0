/**
 * Rust's saturating u64 / u16 arithmetic on bigint and number, for the registration code (classic
 * Subtensor uses `saturating_*` throughout; a JS overflow would otherwise go unnoticed).
 */
import { U16_MAX, U64_MAX } from "../constants.js";

export const satAdd64 = (a: bigint, b: bigint): bigint => (a + b > U64_MAX ? U64_MAX : a + b);
export const satSub64 = (a: bigint, b: bigint): bigint => (a > b ? a - b : 0n);
export const satMul64 = (a: bigint, b: bigint): bigint => (a * b > U64_MAX ? U64_MAX : a * b);

export const satAdd16 = (a: number, b: number): number => Math.min(a + b, U16_MAX);
export const satMul16 = (a: number, b: number): number => Math.min(a * b, U16_MAX);
export const satInc16 = (a: number): number => satAdd16(a, 1);
