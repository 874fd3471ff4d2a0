/** The reference extraction on small pieces of Rust written in Subtensor's layout. */
import { describe, expect, it } from "vitest";
import { extractCalls, extractEvents, extractStorage, typeValueBodies, runtimeInitialValues } from "./extract.js";
import { evalRust, RustReadError, splitTop } from "./rust.js";
import { toFixtureValue } from "./fixture.js";

describe("Rust reading", () => {
  it("splits at top-level commas only", () => {
    expect(splitTop("a, B<c, d>, (e, f), [g, h]")).toEqual(["a", "B<c, d>", "(e, f)", "[g, h]"]);
  });

  it("evaluates constant expressions into the fixture's JSON form", () => {
    expect(evalRust("1_000_000_000u64")).toBe("1000000000");
    expect(evalRust("u64::MAX")).toBe("18446744073709551615");
    expect(evalRust("u64::MAX / 2")).toBe("9223372036854775807");
    expect(evalRust("7200 * 30 // a month")).toBe("216000");
    expect(evalRust("(45875, 58982)")).toEqual(["45875", "58982"]);
    expect(evalRust("vec![]")).toEqual([]);
    expect(evalRust("false")).toBe(false);
    expect(() => evalRust("Self::something()")).toThrow(RustReadError);
  });

  it("our values take the same form", () => {
    expect(toFixtureValue([45875, 58982])).toEqual(["45875", "58982"]);
    expect(toFixtureValue(18446744073709551615n)).toBe("18446744073709551615");
    expect(toFixtureValue(new Uint8Array([0, 255]))).toBe("0x00ff");
  });
});

describe("extraction", () => {
  it("calls: index, arguments after the origin (compact ones as Compact<T>), class and Pays from the weight", () => {
    const lib = `
        #[pallet::call_index(0)]
        #[pallet::weight((Weight::from_parts(22_060_000_000, 0)
        .saturating_add(T::DbWeight::get().reads(4106)), DispatchClass::Normal, Pays::No))]
        pub fn set_weights(
            origin: OriginFor<T>,
            netuid: u16,
            dests: Vec<u16>,
        ) -> DispatchResult {
            Ok(())
        }
        #[pallet::call_index(96)]
        #[pallet::weight(Weight::from_parts(46_000_000, 0))]
        pub fn commit_weights(origin: T::RuntimeOrigin, netuid: u16, commit_hash: H256) -> DispatchResult { Ok(()) }
        #[pallet::call_index(55)]
        #[pallet::weight((Weight::from_parts(0, 0), DispatchClass::Operational))]
        pub fn vote(origin: OriginFor<T>, proposal: T::Hash, #[pallet::compact] index: u32) -> DispatchResultWithPostInfo { Ok(()) }
        #[pallet::call_index(52)]
        #[pallet::weight((*weight, call.get_dispatch_info().class, Pays::No))]
        pub fn sudo_unchecked_weight(origin: OriginFor<T>, call: Box<T::SudoRuntimeCall>, weight: Weight) -> DispatchResultWithPostInfo { Ok(()) }
        #[pallet::call_index(59)]
        #[pallet::weight((Weight::from_parts(157_000_000, 0), DispatchClass::Operational, Pays::No))]
        pub fn register_network(origin: OriginFor<T>) -> DispatchResult { Ok(()) }`;
    expect(extractCalls(lib)).toEqual([
      { index: 0, name: "set_weights", args: [{ name: "netuid", type: "u16" }, { name: "dests", type: "Vec<u16>" }], class: "Normal", pays: "No" },
      { index: 96, name: "commit_weights", args: [{ name: "netuid", type: "u16" }, { name: "commit_hash", type: "H256" }], class: "Normal", pays: "Yes" },
      { index: 55, name: "vote", args: [{ name: "proposal", type: "T::Hash" }, { name: "index", type: "Compact<u32>" }], class: "Operational", pays: "Yes" },
      {
        index: 52,
        name: "sudo_unchecked_weight",
        args: [{ name: "call", type: "Box<T::SudoRuntimeCall>" }, { name: "weight", type: "Weight" }],
        class: "call.get_dispatch_info().class",
        pays: "No",
      },
      { index: 59, name: "register_network", args: [], class: "Operational", pays: "No" },
    ]);
    expect(() => extractCalls("pub fn nothing() {}")).toThrow(RustReadError);
  });

  it("storage: hashers, types, query kind, and the default from the type_value or the runtime's Initial value", () => {
    const runtime = `
      pub const SubtensorInitialTempo: u16 = 99;
      type InitialTempo = SubtensorInitialTempo;`;
    const lib = `
    #[pallet::type_value]
    pub fn DefaultTempo<T: Config>() -> u16 {
        T::InitialTempo::get()
    }
    #[pallet::type_value]
    pub fn DefaultAlphaValues<T: Config>() -> (u16, u16) {
        (45875, 58982)
    }
    #[pallet::storage] // --- MAP ( netuid ) --> tempo
    pub type Tempo<T> = StorageMap<_, Identity, u16, u16, ValueQuery, DefaultTempo<T>>;
    #[pallet::storage]
    /// --- MAP ( netuid ) --> (alpha_low, alpha_high)
    pub type AlphaValues<T> =
        StorageMap<_, Identity, u16, (u16, u16), ValueQuery, DefaultAlphaValues<T>>;
    #[pallet::storage]
    pub type Axons<T: Config> = StorageDoubleMap<_, Identity, u16, Blake2_128Concat, T::AccountId, AxonInfoOf, OptionQuery>;
    #[pallet::storage]
    pub type TotalStake<T> = StorageValue<_, u64, ValueQuery>;
`;
    const storage = extractStorage(lib, typeValueBodies(lib, runtimeInitialValues(runtime)));
    expect(storage).toEqual([
      { name: "Tempo", kind: "StorageMap", keys: [{ hasher: "Identity", type: "u16" }], value: "u16", query: "ValueQuery", default: { fn: "DefaultTempo", value: "99" } },
      { name: "AlphaValues", kind: "StorageMap", keys: [{ hasher: "Identity", type: "u16" }], value: "(u16, u16)", query: "ValueQuery", default: { fn: "DefaultAlphaValues", value: ["45875", "58982"] } },
      {
        name: "Axons",
        kind: "StorageDoubleMap",
        keys: [
          { hasher: "Identity", type: "u16" },
          { hasher: "Blake2_128Concat", type: "T::AccountId" },
        ],
        value: "AxonInfo",
        query: "OptionQuery",
        default: null,
      },
      { name: "TotalStake", kind: "StorageValue", keys: [], value: "u64", query: "ValueQuery", default: null },
    ]);
    // a default whose Initial value the runtime does not set is an error, not a silent gap
    expect(() => typeValueBodies(lib, runtimeInitialValues("pub const SubtensorInitialKappa: u16 = 1;\ntype InitialKappa = SubtensorInitialKappa;"))).toThrow(RustReadError);
  });

  it("events: tuple and struct variants with their field types", () => {
    const events = `
    pub enum Event<T: Config> {
        /// a network is added.
        NetworkAdded(u16, u16),
        /// multiple uids have been concurrently registered.
        BulkNeuronsRegistered(u16, u16),
        /// a hotkey was swapped
        HotkeySwapped {
            coldkey: T::AccountId,
            old_hotkey: T::AccountId,
        },
    }`;
    expect(extractEvents(events)).toEqual([
      { index: 0, name: "NetworkAdded", fields: ["u16", "u16"] },
      { index: 1, name: "BulkNeuronsRegistered", fields: ["u16", "u16"] },
      { index: 2, name: "HotkeySwapped", fields: ["coldkey: T::AccountId", "old_hotkey: T::AccountId"] },
    ]);
  });
});
