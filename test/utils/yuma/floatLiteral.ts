/**
 * Test support only: `I32F32::from_num(f64 / f32)` as Rust's tests use it to write literals
 * (`fixed(0.1)`, `vec_to_fixed(&[0.2, ...])`). The double is decomposed exactly (sign, exponent,
 * 53-bit mantissa) and rounded to the nearest fixed value, ties to even, as the `fixed` crate
 * does. Never used by the consensus code itself.
 */
export function fromF64(x: number, frac = 32): bigint {
  if (!Number.isFinite(x)) throw new RangeError(`not finite: ${x}`);
  if (x === 0) return 0n;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const negative = hi >>> 31 === 1;
  const exponent = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (exponent === 0) e = -1074;
  else {
    mantissa |= 1n << 52n;
    e = exponent - 1075;
  }
  const shift = e + frac; // bits = mantissa · 2^shift
  let bits: bigint;
  if (shift >= 0) bits = mantissa << BigInt(shift);
  else {
    const s = BigInt(-shift);
    const q = mantissa >> s;
    const r = mantissa - (q << s);
    const half = 1n << (s - 1n);
    bits = r > half || (r === half && (q & 1n) === 1n) ? q + 1n : q;
  }
  return negative ? -bits : bits;
}

/** `I32F32::from_num(f32)`: the literal is first rounded to single precision. */
export function fromF32(x: number): bigint {
  return fromF64(Math.fround(x));
}

export const vecF32 = (xs: number[]): bigint[] => xs.map(fromF32);

/** `vec_to_sparse_mat_fixed`: positive entries only, row-major (or transposed). */
export function sparseF32(values: number[], rows: number, transpose = false): Array<Array<[number, bigint]>> {
  const cols = values.length / rows;
  const out: Array<Array<[number, bigint]>> = [];
  if (transpose) {
    for (let c = 0; c < cols; c++) {
      const row: Array<[number, bigint]> = [];
      for (let r = 0; r < rows; r++) if (values[r * cols + c] > 0) row.push([r, fromF32(values[r * cols + c])]);
      out.push(row);
    }
  } else {
    for (let r = 0; r < rows; r++) {
      const row: Array<[number, bigint]> = [];
      for (let c = 0; c < cols; c++) if (values[r * cols + c] > 0) row.push([c, fromF32(values[r * cols + c])]);
      out.push(row);
    }
  }
  return out;
}
