/**
 * The block file format of `export-blocks` / `import-blocks`, as Substrate's `export-blocks
 * --binary` writes it: a u64 little-endian block count, then that many SCALE `SignedBlock`s,
 * each `{ block: Block { header, extrinsics: Vec<OpaqueExtrinsic> }, justifications:
 * Option<Justifications> }`, in ascending block order.
 */
import { HeaderCodec } from "../codec/types.js";
import { ScaleReader, ScaleWriter } from "../codec/scale.js";
import { encodeBlock, type Block } from "../codec/block.js";
import { NodeError } from "../../util/errors.js";

export interface SignedBlock {
  block: Block;
  /** encoded Justifications, as stored with the block */
  justifications?: Uint8Array;
}

export class BlockFileError extends NodeError<{ code: "BAD_BLOCK_FILE"; index: number; reason: string }> {}

export function encodeSignedBlock(b: SignedBlock): Uint8Array {
  const w = new ScaleWriter();
  w.bytes(encodeBlock(b.block));
  if (b.justifications) {
    w.byte(1);
    w.bytes(b.justifications);
  } else w.byte(0);
  return w.finish();
}

export function encodeCount(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  return out;
}

/** Decodes a whole block file; errors name the block's position in the file. */
export function decodeBlockFile(bytes: Uint8Array): SignedBlock[] {
  if (bytes.length < 8) throw new BlockFileError({ code: "BAD_BLOCK_FILE", index: -1, reason: "shorter than its 8-byte count" }, "not a block file: shorter than its 8-byte block count");
  const count = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  const r = new ScaleReader(bytes.subarray(8));
  const out: SignedBlock[] = [];
  for (let i = 0; BigInt(i) < count; i++) {
    try {
      const header = HeaderCodec.decodeFrom(r);
      const n = r.compactNumber();
      const extrinsics: Uint8Array[] = [];
      for (let k = 0; k < n; k++) {
        const start = r.offset;
        const len = r.compactNumber();
        r.take(len);
        extrinsics.push(r.data.slice(start, r.offset));
      }
      const tag = r.byte();
      let justifications: Uint8Array | undefined;
      if (tag === 1) {
        // Justifications = Vec<([u8; 4], Vec<u8>)>: walk it to find its end
        const start = r.offset;
        const items = r.compactNumber();
        for (let k = 0; k < items; k++) {
          r.take(4);
          r.take(r.compactNumber());
        }
        justifications = r.data.slice(start, r.offset);
      } else if (tag !== 0) throw new Error(`bad Option tag ${tag} for the justifications`);
      out.push({ block: { header, extrinsics }, justifications });
    } catch (e) {
      throw new BlockFileError({ code: "BAD_BLOCK_FILE", index: i, reason: (e as Error).message }, `block ${i} of the file does not decode: ${(e as Error).message}`);
    }
  }
  if (r.remaining !== 0) throw new BlockFileError({ code: "BAD_BLOCK_FILE", index: Number(count), reason: "trailing bytes" }, `the file has ${r.remaining} bytes after its ${count} blocks`);
  return out;
}
