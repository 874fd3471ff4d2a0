/**
 * What each chain error means for the person who ran the command, and what to do next: one entry
 * per SubtensorModule, AdminUtils, Balances and Sudo error (and the non-module dispatch errors),
 * keyed `Pallet.Error`. Entries take the command's context so the advice names the subnet, hotkey
 * and wallet involved ("register it first with `subtensor-ts subnet register --netuid 3`").
 *
 * Also: what the pool's submission refusals (RPC error 1010 "Invalid Transaction: …") mean, since
 * Subtensor's guards refuse many calls there instead of failing them in a block.
 */
import { CliError } from "./cliError.js";

export interface ErrorContext {
  netuid?: number;
  hotkey?: string;
  coldkey?: string;
  wallet?: string;
  hotkeyName?: string;
}

export interface ErrorHelp {
  /** one line: what happened, in the user's terms */
  explain: string;
  /** one line: what to do next */
  next?: string;
}

type Entry = (c: ErrorContext) => ErrorHelp;

const cmd = (text: string): string => `\`subtensor-ts ${text}\``;
const subnet = (c: ErrorContext): string => (c.netuid === undefined ? "the subnet" : `subnet ${c.netuid}`);
const netuidFlag = (c: ErrorContext): string => (c.netuid === undefined ? "--netuid N" : `--netuid ${c.netuid}`);
const walletFlags = (c: ErrorContext): string => [c.wallet ? `--wallet ${c.wallet}` : "", c.hotkeyName ? `--hotkey ${c.hotkeyName}` : ""].filter(Boolean).join(" ");
const w = (c: ErrorContext): string => (walletFlags(c) ? ` ${walletFlags(c)}` : "");

const SUBTENSOR: Record<string, Entry> = {
  SubNetworkDoesNotExist: (c) => ({ explain: `${subnet(c)} does not exist`, next: `list the subnets with ${cmd("subnet list")}` }),
  RootNetworkDoesNotExist: () => ({ explain: "this chain has no root network (netuid 0)", next: "root commands need a chain whose genesis creates the root network" }),
  InvalidIpType: () => ({ explain: "the axon's IP type must be 4 (IPv4) or 6 (IPv6)", next: "pass --ip-type 4 or 6" }),
  InvalidIpAddress: () => ({ explain: "the axon's IP address is not allowed (127.0.0.1, ::1 and out-of-range addresses are refused)", next: "serve a public or LAN address, or 0.0.0.0 for tests" }),
  InvalidPort: () => ({ explain: "the axon's port must not be 0", next: "pass --port with a port between 1 and 65535" }),
  HotKeyNotRegisteredInSubNet: (c) => ({ explain: `this hotkey has no UID on ${subnet(c)}`, next: `register it first with ${cmd(`subnet register ${netuidFlag(c)}${w(c)}`)}` }),
  HotKeyAccountNotExists: () => ({ explain: "this hotkey is not known to the chain (it has never been registered on any subnet)", next: `register it first with ${cmd("subnet register --netuid N")}` }),
  HotKeyNotRegisteredInNetwork: (c) => ({ explain: `this hotkey is not registered on ${subnet(c)}`, next: `register it first with ${cmd(`subnet register ${netuidFlag(c)}${w(c)}`)}` }),
  NonAssociatedColdKey: () => ({ explain: "this hotkey belongs to another coldkey", next: "use the wallet whose coldkey registered the hotkey, or a hotkey of your own" }),
  HotKeyNotDelegateAndSignerNotOwnHotKey: () => ({ explain: "you can only stake to your own hotkey or to a delegate", next: `list delegates with ${cmd("delegate list")}, or ask the hotkey's owner to run ${cmd("delegate become")}` }),
  StakeToWithdrawIsZero: () => ({ explain: "the amount to unstake is zero", next: "pass an amount above 0" }),
  NotEnoughStakeToWithdraw: () => ({ explain: "you are removing more stake than this coldkey has on the hotkey", next: `check your stake with ${cmd("stake list")}` }),
  NotEnoughStakeToSetWeights: () => ({ explain: "the hotkey has less stake than the chain's minimum to set weights (WeightsMinStake)", next: `add stake with ${cmd("stake add")}` }),
  NotEnoughBalanceToStake: () => ({ explain: "the coldkey's free balance is too low for this (stake, registration burn or lock cost)", next: `check it with ${cmd("wallet balance")} and fund the coldkey` }),
  BalanceWithdrawalError: () => ({ explain: "the amount could not be withdrawn from the coldkey (it would leave less than the existential deposit or is locked)", next: "try a slightly smaller amount" }),
  ZeroBalanceAfterWithdrawn: () => ({ explain: "the withdrawal would empty the coldkey", next: "leave at least the existential deposit (500 RAO) in the coldkey" }),
  NeuronNoValidatorPermit: (c) => ({ explain: `this neuron has no validator permit on ${subnet(c)}, so it may only set a weight on itself`, next: "add stake so that it becomes one of the top validators, then wait for the next epoch" }),
  WeightVecNotEqualSize: () => ({ explain: "the UID and weight lists have different lengths", next: "give one weight per UID" }),
  DuplicateUids: () => ({ explain: "a UID appears twice in the weights", next: "list each UID once" }),
  UidVecContainInvalidOne: (c) => ({ explain: `a UID in the weights does not exist on ${subnet(c)}`, next: `check the UIDs with ${cmd(`subnet metagraph ${netuidFlag(c)}`)}` }),
  WeightVecLengthIsLow: (c) => ({ explain: `fewer weights than ${subnet(c)}'s min_allowed_weights`, next: `check the minimum with ${cmd(`subnet hyperparameters ${netuidFlag(c)}`)}` }),
  TooManyRegistrationsThisBlock: (c) => ({ explain: `${subnet(c)} already took its registrations for this block (max_regs_per_block)`, next: "try again in the next block" }),
  HotKeyAlreadyRegisteredInSubNet: (c) => ({ explain: `this hotkey is already registered on ${subnet(c)}`, next: `see its UID with ${cmd(`subnet metagraph ${netuidFlag(c)}`)}, or use another hotkey` }),
  NewHotKeyIsSameWithOld: () => ({ explain: "the new hotkey is the same as the old one", next: "pass a different hotkey" }),
  InvalidWorkBlock: () => ({ explain: "the proof of work refers to a block that is too old or in the future", next: "solve it again (the work must use one of the last 3 blocks)" }),
  InvalidDifficulty: () => ({ explain: "the proof of work does not meet the subnet's difficulty", next: "solve it again at the current difficulty" }),
  InvalidSeal: () => ({ explain: "the proof of work's seal does not match its nonce, block and hotkey", next: "solve it again" }),
  MaxWeightExceeded: (c) => ({ explain: `one weight is above ${subnet(c)}'s max_weight_limit once normalised`, next: "spread the weights over more UIDs" }),
  HotKeyAlreadyDelegate: () => ({ explain: "this hotkey is already a delegate", next: `change its take with ${cmd("delegate take")}` }),
  SettingWeightsTooFast: (c) => ({ explain: `weights were set too recently on ${subnet(c)} (weights_rate_limit)`, next: "wait for the rate limit to pass and try again" }),
  IncorrectWeightVersionKey: (c) => ({ explain: `the version key is below ${subnet(c)}'s weights_version_key`, next: `pass --version-key with at least the subnet's value (see ${cmd(`subnet hyperparameters ${netuidFlag(c)}`)})` }),
  ServingRateLimitExceeded: () => ({ explain: "the axon was served too recently (serving_rate_limit)", next: "wait some blocks and try again" }),
  UidsLengthExceedUidsInSubNet: (c) => ({ explain: `more weights than ${subnet(c)} has UIDs`, next: "give at most one weight per registered UID" }),
  NetworkTxRateLimitExceeded: () => ({ explain: "a subnet was created too recently (network rate limit)", next: "wait for the rate limit to pass" }),
  DelegateTxRateLimitExceeded: () => ({ explain: "this coldkey sent a delegate transaction too recently (tx rate limit)", next: "wait some blocks and try again" }),
  HotKeySetTxRateLimitExceeded: () => ({ explain: "this coldkey changed a hotkey too recently (tx rate limit)", next: "wait some blocks and try again" }),
  StakeRateLimitExceeded: () => ({ explain: "too many stake operations on this hotkey in this interval", next: "wait for the next staking interval" }),
  UnstakeRateLimitExceeded: () => ({ explain: "too many unstake operations on this hotkey in this interval", next: "wait for the next staking interval" }),
  SubNetRegistrationDisabled: (c) => ({ explain: `registration is closed on ${subnet(c)}`, next: `the owner can open it with ${cmd(`sudo set network_registration_allowed true ${netuidFlag(c)}`)}` }),
  TooManyRegistrationsThisInterval: (c) => ({ explain: `${subnet(c)} took all the registrations allowed this interval`, next: "wait for the next adjustment interval, or raise target_registrations_per_interval with sudo" }),
  TransactorAccountShouldBeHotKey: () => ({ explain: "proof-of-work registration must be signed by the hotkey itself", next: "this is a client bug: report it" }),
  NotSenateMember: () => ({ explain: "only senate members may do this", next: "not available on this chain" }),
  FaucetDisabled: () => ({ explain: "the faucet is disabled on this chain", next: "fund the account by a transfer instead" }),
  NotSubnetOwner: (c) => ({ explain: `this coldkey does not own ${subnet(c)}`, next: "use the owner's wallet, or the sudo key" }),
  RegistrationNotPermittedOnRootSubnet: () => ({ explain: "the root network (netuid 0) is joined with `root register`, not `subnet register`", next: `use ${cmd("root register")}` }),
  StakeTooLowForRoot: () => ({ explain: "the root network is full and this hotkey has less stake than its smallest member", next: `add stake with ${cmd("stake add")}, then retry` }),
  AllNetworksInImmunity: () => ({ explain: "the subnet limit is reached and every subnet is still immune from pruning", next: "wait for a subnet's immunity period to end" }),
  NotEnoughBalanceToPaySwapHotKey: () => ({ explain: "the coldkey cannot pay the hotkey swap cost", next: `fund the coldkey (see ${cmd("wallet balance")})` }),
  NotRootSubnet: () => ({ explain: "root weights must be set with netuid 0", next: `use ${cmd("root weights")}` }),
  CanNotSetRootNetworkWeights: () => ({ explain: "weights on the root network are set with `root weights`", next: `use ${cmd("root weights")}` }),
  NoNeuronIdAvailable: (c) => ({ explain: `${subnet(c)} has no UID to give (max_allowed_uids is 0)`, next: "the owner must raise max_allowed_uids" }),
  NomStakeBelowMinimumThreshold: () => ({ explain: "the stake would be below the nominator minimum", next: "stake more, or unstake everything" }),
  DelegateTakeTooLow: () => ({ explain: "the take is below the chain's minimum delegate take", next: "choose a higher take" }),
  DelegateTakeTooHigh: () => ({ explain: "the take is above the chain's maximum delegate take (18%)", next: "choose a lower take" }),
  WeightsCommitNotAllowed: () => ({ explain: "this hotkey already has a pending weights commit in this window", next: `reveal it first with ${cmd("weights reveal")}` }),
  NoWeightsCommitFound: () => ({ explain: "there is no weights commit to reveal for this hotkey", next: `commit first with ${cmd("weights commit")}` }),
  InvalidRevealCommitTempo: () => ({ explain: "it is not the reveal window of the commit", next: "reveal in the interval after the commit's" }),
  InvalidRevealCommitHashNotMatch: () => ({ explain: "the revealed weights, salt or version key do not match the commit", next: "reveal exactly what was committed (same UIDs, weights, salt, version key)" }),
  CommitRevealEnabled: (c) => ({ explain: `${subnet(c)} uses commit-reveal, so weights cannot be set directly`, next: `use ${cmd("weights commit")} then ${cmd("weights reveal")}` }),
  CommitRevealDisabled: (c) => ({ explain: `commit-reveal is off on ${subnet(c)}`, next: `set weights directly with ${cmd("weights set")}` }),
  LiquidAlphaDisabled: (c) => ({ explain: `liquid alpha is off on ${subnet(c)}`, next: `turn it on first with ${cmd(`sudo set liquid_alpha_enabled true ${netuidFlag(c)}`)}` }),
  AlphaHighTooLow: () => ({ explain: "alpha high must be above 0.8 (52428 of 65535)", next: "choose a higher alpha high" }),
  AlphaLowOutOfRange: () => ({ explain: "alpha low must be above 0 and below 0.8", next: "choose an alpha low in that range" }),
};

const ADMIN_UTILS: Record<string, Entry> = {
  SubnetDoesNotExist: (c) => ({ explain: `${subnet(c)} does not exist`, next: `list the subnets with ${cmd("subnet list")}` }),
  MaxValidatorsLargerThanMaxUIds: () => ({ explain: "max_allowed_validators cannot exceed max_allowed_uids", next: "lower the validators or raise max_allowed_uids first" }),
  MaxAllowedUIdsLessThanCurrentUIds: () => ({ explain: "max_allowed_uids cannot be below the UIDs already registered", next: "choose a value at least the current number of UIDs" }),
  BondsMovingAverageMaxReached: () => ({ explain: "a subnet owner may not set bonds_moving_average above 975000", next: "choose a lower value, or ask the sudo key" }),
  NegativeSigmoidSteepness: () => ({ explain: "only root may set a negative alpha sigmoid steepness", next: "choose a positive value, or use the sudo key" }),
};

const BALANCES: Record<string, Entry> = {
  VestingBalance: () => ({ explain: "part of the balance is vesting and cannot be sent yet", next: "send less" }),
  LiquidityRestrictions: () => ({ explain: "locks on the account prevent this withdrawal", next: "send less" }),
  InsufficientBalance: () => ({ explain: "the balance is too low for this transfer", next: `check it with ${cmd("wallet balance")}` }),
  ExistentialDeposit: () => ({ explain: "the amount is below the existential deposit (500 RAO) needed to create the destination account", next: "send at least τ0.000000500" }),
  Expendability: () => ({ explain: "the transfer would leave the sender below the existential deposit", next: "send less, or use --allow-death to empty the account" }),
  ExistingVestingSchedule: () => ({ explain: "the account already has a vesting schedule", next: "nothing to do here from the CLI" }),
  DeadAccount: () => ({ explain: "the destination account does not exist", next: "send at least the existential deposit to create it" }),
  TooManyReserves: () => ({ explain: "the account has too many named reserves", next: "nothing to do here from the CLI" }),
  TooManyHolds: () => ({ explain: "the account has too many holds", next: "nothing to do here from the CLI" }),
  TooManyFreezes: () => ({ explain: "the account has too many freezes", next: "nothing to do here from the CLI" }),
  IssuanceDeactivated: () => ({ explain: "the issuance is deactivated", next: "nothing to do here from the CLI" }),
  DeltaZero: () => ({ explain: "the amount is zero", next: "pass an amount above 0" }),
};

const SUDO: Record<string, Entry> = {
  RequireSudo: () => ({ explain: "only the sudo key may do this", next: "sign with the sudo key's wallet (//Alice on the dev chain)" }),
};

/** Dispatch errors that are not a pallet's (DispatchError variants). */
const DISPATCH: Record<string, Entry> = {
  BadOrigin: (c) => ({ explain: `this wallet may not make this call (it is neither ${c.netuid === undefined ? "the owner" : `subnet ${c.netuid}'s owner`} nor root)`, next: "use the owner's wallet or the sudo key" }),
  CannotLookup: () => ({ explain: "an account in the call could not be found", next: "check the addresses" }),
  "Token.FundsUnavailable": () => ({ explain: "the account does not hold these funds", next: `check it with ${cmd("wallet balance")}` }),
  "Token.BelowMinimum": () => ({ explain: "the account would fall below the existential deposit", next: "send less" }),
  "Arithmetic.Overflow": () => ({ explain: "an amount overflowed", next: "use a smaller amount" }),
  "Arithmetic.Underflow": () => ({ explain: "an amount underflowed (more than is there)", next: "use a smaller amount" }),
};

const TABLES: Record<string, Record<string, Entry>> = { SubtensorModule: SUBTENSOR, AdminUtils: ADMIN_UTILS, Balances: BALANCES, Sudo: SUDO };

/** Help for `Pallet.Error` (or a non-module dispatch error such as `BadOrigin`); undefined if unknown. */
export function explainChainError(name: string, ctx: ErrorContext = {}): ErrorHelp | undefined {
  const dot = name.indexOf(".");
  if (dot > 0) {
    const table = TABLES[name.slice(0, dot)];
    const entry = table?.[name.slice(dot + 1)];
    if (entry) return entry(ctx);
  }
  return DISPATCH[name]?.(ctx);
}

/** The names the table covers, per pallet (tests check it covers every error in the metadata). */
export function explainedErrors(): Record<string, string[]> {
  return Object.fromEntries([...Object.entries(TABLES).map(([p, t]) => [p, Object.keys(t)]), ["Dispatch", Object.keys(DISPATCH)]]);
}

/**
 * The pool's submission refusals (JSON-RPC 1010/1011 messages from author_submit*): what they
 * mean for a Subtensor user. Returns undefined for messages it does not know.
 */
export function explainSubmissionError(message: string, ctx: ErrorContext = {}): ErrorHelp | undefined {
  if (/Inability to pay some fees/i.test(message)) return { explain: "the signing account cannot pay the transaction fee (its balance is too low or it does not exist)", next: `fund it (see ${cmd("wallet balance")})` };
  if (/bad signature|BadProof/i.test(message)) return { explain: "the node refused the signature", next: "check that the wallet's key is right and the node is on the expected chain" };
  if (/outdated|Stale/i.test(message)) return { explain: "the transaction's nonce is already used", next: "wait for the previous transaction to be included and try again" };
  if (/Priority is too low|already imported/i.test(message)) return { explain: "an identical or competing transaction is already in the pool", next: "wait for it to be included" };
  if (/exhaust the block limits|ExhaustsResources/i.test(message)) return { explain: `${subnet(ctx)} took all the registrations allowed for now (Subtensor refuses extra registrations in the pool)`, next: "wait for the next adjustment interval, or raise the limits with sudo" };
  if (/Transaction call is not expected|Invalid Transaction: Call/i.test(message)) return { explain: "Subtensor's transaction guard refused this call before inclusion (weights: the hotkey's stake is below the weights minimum; proof-of-work registration: the work is malformed)", next: `for weights, add stake with ${cmd("stake add")}` };
  if (/Custom error/i.test(message)) return { explain: "Subtensor's transaction guard refused this call", next: "check the rate limits and stake requirements of the call" };
  return undefined;
}

/**
 * A check the CLI makes before submitting, reported exactly as the chain would report it (same
 * name, same explanation), so users see one vocabulary whether the node or the CLI noticed.
 */
export function refusal(name: string, ctx: ErrorContext = {}, detail?: string): CliError {
  const help = explainChainError(name, ctx);
  const short = name.slice(name.indexOf(".") + 1);
  return new CliError(`${short}: ${help?.explain ?? name}${detail ? ` (${detail})` : ""}`, help?.next, name);
}
