/**
 * pallet_grandpa (index 4, as in Subtensor): the finality authority set (ed25519 keys, weight 1
 * each) and its set id, written at genesis from the chain spec. Finality verification reads the set
 * from the state of the block being finalized (consensus/finality), and `GrandpaApi` serves it.
 * This chain never changes the set at runtime (no sessions), so the set id stays 0.
 */
import { fixedBytes, newtype, tuple, u32, u64, vec } from "../../codec/scale.js";
import { Pallet } from "../frame/pallet.js";
import { storageValue } from "../frame/storage.js";

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
});

/** The finality authority public keys (ed25519) of a state, in set order. */
export function finalityAuthorities(state: Parameters<typeof Authorities.get>[0]): Uint8Array[] {
  return Authorities.get(state).map(([id]) => id);
}
