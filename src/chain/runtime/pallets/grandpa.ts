/**
 * pallet_grandpa (index 4, as in Subtensor): the finality authority set (ed25519 keys, weight 1
 * each) and its set id, written at genesis from the chain spec. Finality verification reads the set
 * from the state of the block being finalized (consensus/finality), and `GrandpaApi` serves it.
 * This chain never changes the set at runtime (no sessions), so the set id stays 0.
 */
import { bytes, enumeration, fixedBytes, newtype, option, struct, tuple, u32, u64, unit, vec, type Codec } from "../../codec/scale.js";
import { BlockNumber, H256 } from "../../codec/types.js";
import { Pallet } from "../frame/pallet.js";
import { storageValue } from "../frame/storage.js";
import type { RuntimeApi } from "../frame/runtimeApi.js";

export const GrandpaAuthorityId = newtype(newtype(fixedBytes(32), { path: ["sp_core", "ed25519", "Public"] }), {
  path: ["sp_consensus_grandpa", "app", "Public"],
});
/** (AuthorityId, AuthorityWeight) */
export const GrandpaAuthority = tuple(GrandpaAuthorityId, u64);
export type GrandpaAuthorityValue = [Uint8Array, bigint];

export const Authorities = storageValue({
  name: "Authorities",
  value: newtype(vec(GrandpaAuthority), { path: ["bounded_collections", "weak_bounded_vec", "WeakBoundedVec"], typeName: "BoundedAuthorityList<T::MaxAuthorities>" }),
  default: [] as GrandpaAuthorityValue[],
  docs: ["The current list of authorities."],
});
export const CurrentSetId = storageValue({
  name: "CurrentSetId",
  value: u64,
  default: 0n,
  docs: ["The number of changes (both in terms of keys and underlying economic responsibilities)", " in the \"set\" of Grandpa validators from genesis."],
});

export const MAX_AUTHORITIES = 32;

// ------------------------------------------------------------------ GrandpaApi

const AuthoritySignature = newtype(newtype(fixedBytes(64), { path: ["sp_core", "ed25519", "Signature"] }), { path: ["sp_consensus_grandpa", "app", "Signature"] });
const voteFields = [
  { name: "target_hash", type: H256 as Codec<unknown>, typeName: "H" },
  { name: "target_number", type: BlockNumber as Codec<unknown>, typeName: "N" },
];
const voteParams = [
  { name: "H", type: H256 as Codec<unknown> },
  { name: "N", type: BlockNumber as Codec<unknown> },
];
const Prevote = struct(voteFields, { path: ["finality_grandpa", "Prevote"], params: voteParams });
const Precommit = struct(voteFields, { path: ["finality_grandpa", "Precommit"], params: voteParams });
/** finality_grandpa::Equivocation<AuthorityId, Vote, AuthoritySignature> */
const voteEquivocation = (vote: Codec<unknown>) =>
  struct(
    [
      { name: "round_number", type: u64, typeName: "u64" },
      { name: "identity", type: GrandpaAuthorityId as Codec<unknown>, typeName: "Id" },
      { name: "first", type: tuple(vote, AuthoritySignature) as Codec<unknown>, typeName: "(V, S)" },
      { name: "second", type: tuple(vote, AuthoritySignature) as Codec<unknown>, typeName: "(V, S)" },
    ],
    { path: ["finality_grandpa", "Equivocation"], params: [{ name: "Id", type: GrandpaAuthorityId as Codec<unknown> }, { name: "V", type: vote }, { name: "S", type: AuthoritySignature as Codec<unknown> }] },
  );
const Equivocation = enumeration(
  [
    { name: "Prevote", index: 0, fields: [voteEquivocation(Prevote as Codec<unknown>)] },
    { name: "Precommit", index: 1, fields: [voteEquivocation(Precommit as Codec<unknown>)] },
  ],
  { path: ["sp_consensus_grandpa", "Equivocation"], params: voteParams },
);
const EquivocationProof = struct(
  [
    { name: "set_id", type: u64, typeName: "SetId" },
    { name: "equivocation", type: Equivocation as Codec<unknown>, typeName: "Equivocation<H, N>" },
  ],
  { path: ["sp_consensus_grandpa", "EquivocationProof"], params: voteParams },
);
const OpaqueKeyOwnershipProof = newtype(bytes, { path: ["sp_consensus_grandpa", "OpaqueKeyOwnershipProof"], typeName: "Vec<u8>" });

/**
 * sp_consensus_grandpa's GrandpaApi (version 3): the finality authority set and its id at the
 * call's block. There is no equivocation reporting on this chain (no sessions or staking to slash),
 * so, as in Subtensor's runtime, the report is not submitted (None) and no key ownership proof
 * exists (None).
 */
export const GrandpaApi: RuntimeApi = {
  name: "GrandpaApi",
  version: 3,
  docs: [
    "APIs for integrating the GRANDPA finality gadget into runtimes.",
    "This should be implemented on the runtime side.",
  ],
  methods: [
    {
      name: "grandpa_authorities",
      inputs: [],
      output: vec(GrandpaAuthority) as Codec<unknown>,
      docs: ["Get the current GRANDPA authorities and weights. This should not change except", "for when changes are scheduled and the corresponding delay has passed."],
      call: (ctx) => Authorities.get(ctx.state),
    },
    {
      name: "submit_report_equivocation_unsigned_extrinsic",
      inputs: [
        { name: "equivocation_proof", type: EquivocationProof as Codec<unknown> },
        { name: "key_owner_proof", type: OpaqueKeyOwnershipProof as Codec<unknown> },
      ],
      output: option(unit) as Codec<unknown>,
      docs: ["Submits an unsigned extrinsic to report an equivocation."],
      call: () => null,
    },
    {
      name: "generate_key_ownership_proof",
      inputs: [
        { name: "set_id", type: u64 as Codec<unknown> },
        { name: "authority_id", type: GrandpaAuthorityId as Codec<unknown> },
      ],
      output: option(OpaqueKeyOwnershipProof) as Codec<unknown>,
      docs: ["Generates a proof of key ownership for the given authority in the given set."],
      call: () => null,
    },
    {
      name: "current_set_id",
      inputs: [],
      output: u64 as Codec<unknown>,
      docs: ["Get current GRANDPA authority set id."],
      call: (ctx) => CurrentSetId.get(ctx.state),
    },
  ],
};

export const Grandpa: Pallet = new Pallet({
  name: "Grandpa",
  index: 4,
  crate: "pallet_grandpa",
  storage: [CurrentSetId, Authorities],
  events: [
    {
      name: "NewAuthorities",
      index: 0,
      fields: [{ name: "authority_set", type: vec(GrandpaAuthority), typeName: "AuthorityList" }],
      docs: ["New authority set has been applied."],
    },
    { name: "Paused", index: 1, fields: [], docs: ["Current authority set has been paused."] },
    { name: "Resumed", index: 2, fields: [], docs: ["Current authority set has been resumed."] },
  ],
  constants: [
    { name: "MaxAuthorities", codec: u32, value: MAX_AUTHORITIES, docs: ["Max Authorities in use"] },
    { name: "MaxNominators", codec: u32, value: 20, docs: ["The maximum number of nominators for each validator."] },
    { name: "MaxSetIdSessionEntries", codec: u64, value: 0n, docs: ["The maximum number of entries to keep in the set id to session index mapping."] },
  ],
  apis: () => [GrandpaApi],
});

/** The finality authority public keys (ed25519) of a state, in set order. */
export function finalityAuthorities(state: Parameters<typeof Authorities.get>[0]): Uint8Array[] {
  return Authorities.get(state).map(([id]) => id);
}
