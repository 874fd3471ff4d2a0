/**
 * `Core` and `Metadata`: the runtime APIs every Substrate runtime implements (sp_api), version 5
 * and 2 as in polkadot-stable2409 (Subtensor 688d4a7ff).
 *
 * Core's block methods run for real on an overlay of the call's state, as a wasm runtime does
 * inside one call: `execute_block` executes the block on top of the call's block and checks its
 * roots (a mismatch is the panic Substrate's executive raises), `initialize_block` runs the block's
 * initialization hooks. Nothing is kept.
 */
import { option, u32, unit, vec, type Codec } from "../../codec/scale.js";
import { HeaderCodec, type Header } from "../../codec/types.js";
import { bytesEqual } from "../../../util/bytes.js";
import { runtimePanic, type RuntimeApiDecl, type RuntimeTypes } from "../frame/runtimeApi.js";
import { blockCodec, ExtrinsicInclusionMode, OpaqueMetadata, RuntimeVersionCodec, type BlockValue } from "./codecs.js";
import { decodeExtrinsicArg, type RuntimeApiContext, type RuntimeApiImpl } from "./context.js";
import { runtimeVersionValue } from "./ids.js";
import { finishedHeader, startBlock } from "./blockRun.js";

/** Versions of Metadata served by Metadata_metadata_at_version: never 16 (polkadot-js would pick it). */
export const METADATA_VERSIONS = [14, 15];

/** The block's digest without the seal: what the runtime executes (Substrate strips it first). */
const preDigest = (h: Header) => h.digest.logs.filter((l) => l.tag !== "Seal");

/** The block must be a child of the call's block (the node calls Core_execute_block at the parent). */
function checkParent(ctx: RuntimeApiContext, method: string, header: Header): void {
  if (!bytesEqual(header.parentHash, ctx.hash) || header.number !== ctx.header.number + 1) throw runtimePanic(method, "Parent hash should be valid.");
}

function executeBlock(ctx: RuntimeApiContext, block: BlockValue): [] {
  const method = "Core_execute_block";
  const { header } = block;
  checkParent(ctx, method, header);
  const env = { number: header.number, parentHash: header.parentHash };
  const digest = preDigest(header);
  const started = startBlock(ctx, env, digest);
  const included: Uint8Array[] = [];
  for (const body of block.extrinsics) {
    const ext = decodeExtrinsicArg(ctx, body);
    try {
      started.run.applyExtrinsic(ext);
    } catch (e) {
      throw runtimePanic(method, `Extrinsic failed to apply: ${(e as Error).message}`);
    }
    included.push(ext.bytes);
  }
  const built = finishedHeader(ctx, method, started, env, digest, included);
  if (!bytesEqual(built.extrinsicsRoot, header.extrinsicsRoot)) throw runtimePanic(method, "Transaction trie root must be valid.");
  if (!bytesEqual(built.stateRoot, header.stateRoot)) throw runtimePanic(method, "Storage root must match that calculated.");
  return [];
}

/** Core and Metadata; `listApis` gives every API of the runtime (Core_version advertises them). */
export function coreApis(types: RuntimeTypes, listApis: () => readonly RuntimeApiDecl[]): RuntimeApiImpl[] {
  const Block = blockCodec(types.extrinsic) as Codec<unknown>;
  return [
    {
      name: "Core",
      version: 5,
      docs: ["The `Core` runtime api that every Substrate runtime needs to implement."],
      methods: [
        {
          name: "version",
          inputs: [],
          output: RuntimeVersionCodec as Codec<unknown>,
          docs: ["Returns the version of the runtime."],
          call: (ctx) => runtimeVersionValue(ctx.runtime.version, listApis()),
        },
        {
          name: "execute_block",
          inputs: [{ name: "block", type: Block }],
          output: unit as Codec<unknown>,
          docs: ["Execute the given block."],
          call: (ctx, [block]) => executeBlock(ctx, block as BlockValue),
        },
        {
          name: "initialize_block",
          inputs: [{ name: "header", type: HeaderCodec as Codec<unknown> }],
          output: ExtrinsicInclusionMode as Codec<unknown>,
          docs: ["Initialize a block with the given header and return the runtime executive mode."],
          call: (ctx, [header]) => {
            const h = header as Header;
            checkParent(ctx, "Core_initialize_block", h);
            startBlock(ctx, { number: h.number, parentHash: h.parentHash }, preDigest(h));
            return { tag: "AllExtrinsics" };
          },
        },
      ],
    },
    {
      name: "Metadata",
      version: 2,
      docs: ["The `Metadata` api trait that returns metadata for the runtime."],
      methods: [
        {
          name: "metadata",
          inputs: [],
          output: OpaqueMetadata as Codec<unknown>,
          docs: ["Returns the metadata of a runtime."],
          call: (ctx) => ctx.metadata().v14,
        },
        {
          name: "metadata_at_version",
          inputs: [{ name: "version", type: u32 as Codec<unknown> }],
          output: option(OpaqueMetadata) as Codec<unknown>,
          docs: ["Returns the metadata at a given version.", "", "If the given `version` isn't supported, this will return `None`."],
          call: (ctx, [version]) => (version === 14 ? ctx.metadata().v14 : version === 15 ? ctx.metadata().v15 : null),
        },
        {
          name: "metadata_versions",
          inputs: [],
          output: vec(u32) as Codec<unknown>,
          docs: ["Returns the supported metadata versions.", "", "This can be used to call `metadata_at_version`."],
          call: () => METADATA_VERSIONS,
        },
      ],
    },
  ];
}

