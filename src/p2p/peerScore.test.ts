import { describe, expect, it } from "vitest";
import { PeerScores, RateLimiter } from "./peerScore.js";

const MIN = 60_000;

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms), set: (ms: number) => (t = ms) };
}

describe("PeerScores", () => {
  it("an unknown peer scores 0 and is not banned", () => {
    const s = new PeerScores({ now: clock().now });
    expect(s.score("p")).toBe(0);
    expect(s.isBanned("p")).toBe(false);
    expect(s.banned()).toEqual([]);
    expect(s.lastReason("p")).toBeUndefined();
  });

  it("penalties accumulate by action and the ban comes when the threshold is reached", () => {
    const c = clock();
    const s = new PeerScores({ now: c.now });
    expect(s.penalize("p", "highTolerance", "future slot")).toBe(false);
    expect(s.score("p")).toBe(-2);
    expect(s.penalize("p", "midTolerance", "timeout")).toBe(false);
    expect(s.score("p")).toBe(-12);
    expect(s.penalize("p", "lowTolerance", "bad commit")).toBe(false);
    expect(s.score("p")).toBe(-62);
    expect(s.isBanned("p")).toBe(false);
    for (let i = 0; i < 3; i++) expect(s.penalize("p", "midTolerance", `flood ${i}`)).toBe(false);
    expect(s.score("p")).toBe(-92);
    // −102 ≤ −100: this penalty bans
    expect(s.penalize("p", "midTolerance", "flood 3")).toBe(true);
    expect(s.isBanned("p")).toBe(true);
    expect(s.banned()).toEqual(["p"]);
    expect(s.lastReason("p")).toBe("flood 3");
  });

  it("exactly the threshold bans: ten mid-tolerance penalties", () => {
    const s = new PeerScores({ now: clock().now });
    const bans = Array.from({ length: 10 }, (_, i) => s.penalize("p", "midTolerance", `t${i}`));
    expect(bans).toEqual([false, false, false, false, false, false, false, false, false, true]);
    expect(s.score("p")).toBe(-100);
  });

  it("a fatal offence bans at once; further penalties while banned report no new ban and do not extend it", () => {
    const c = clock();
    const s = new PeerScores({ now: c.now, banMs: 10 * MIN });
    expect(s.penalize("p", "fatal", "bad seal")).toBe(true);
    expect(s.isBanned("p")).toBe(true);
    c.advance(5 * MIN);
    expect(s.penalize("p", "fatal", "garbage")).toBe(false);
    expect(s.isBanned("p")).toBe(true);
    expect(s.lastReason("p")).toBe("garbage");
    c.advance(5 * MIN - 1);
    expect(s.isBanned("p")).toBe(true);
    c.advance(1);
    // the ban lasts banMs from the first offence
    expect(s.isBanned("p")).toBe(false);
    expect(s.banned()).toEqual([]);
  });

  it("bans are per peer", () => {
    const s = new PeerScores({ now: clock().now });
    s.penalize("a", "fatal", "x");
    s.penalize("b", "highTolerance", "y");
    expect(s.isBanned("a")).toBe(true);
    expect(s.isBanned("b")).toBe(false);
    expect(s.banned()).toEqual(["a"]);
    expect(s.score("b")).toBe(-2);
  });

  it("scores decay towards 0 with the half-life", () => {
    const c = clock();
    const s = new PeerScores({ now: c.now, halfLifeMs: 10 * MIN });
    s.penalize("p", "lowTolerance", "x");
    expect(s.score("p")).toBe(-50);
    c.advance(10 * MIN);
    expect(s.score("p")).toBeCloseTo(-25, 10);
    c.advance(10 * MIN);
    expect(s.score("p")).toBeCloseTo(-12.5, 10);
    // a new penalty adds to the decayed score
    s.penalize("p", "lowTolerance", "y");
    expect(s.score("p")).toBeCloseTo(-62.5, 10);
    expect(s.isBanned("p")).toBe(false);
    // a clock that goes backwards does not inflate the score
    c.advance(-5 * MIN);
    expect(s.score("p")).toBeCloseTo(-62.5, 10);
  });

  it("decay keeps two spaced-out low-tolerance offences below the threshold, two close ones ban", () => {
    const c = clock();
    const s = new PeerScores({ now: c.now, halfLifeMs: 10 * MIN });
    s.penalize("slow", "lowTolerance", "1");
    c.advance(10 * MIN);
    expect(s.penalize("slow", "lowTolerance", "2")).toBe(false);
    expect(s.score("slow")).toBeCloseTo(-75, 10);
    s.penalize("fast", "lowTolerance", "1");
    expect(s.penalize("fast", "lowTolerance", "2")).toBe(true);
  });

  it("after a ban expires the decayed score remains, and a new offence can ban again", () => {
    const c = clock();
    const s = new PeerScores({ now: c.now, banMs: 10 * MIN, halfLifeMs: 10 * MIN });
    s.penalize("p", "fatal", "x");
    c.advance(10 * MIN);
    expect(s.isBanned("p")).toBe(false);
    expect(s.score("p")).toBeCloseTo(-50, 10);
    expect(s.penalize("p", "lowTolerance", "again")).toBe(true);
    expect(s.isBanned("p")).toBe(true);
    c.advance(10 * MIN);
    expect(s.isBanned("p")).toBe(false);
  });

  it("custom thresholds", () => {
    const s = new PeerScores({ now: clock().now, banThreshold: -10 });
    expect(s.penalize("p", "midTolerance", "x")).toBe(true);
    const lenient = new PeerScores({ now: clock().now, banThreshold: -1000 });
    expect(lenient.penalize("p", "fatal", "x")).toBe(false);
    expect(lenient.isBanned("p")).toBe(false);
  });

  it("forgive lifts the ban and forgets the record", () => {
    const s = new PeerScores({ now: clock().now });
    s.penalize("p", "fatal", "x");
    s.forgive("p");
    expect(s.isBanned("p")).toBe(false);
    expect(s.score("p")).toBe(0);
    expect(s.lastReason("p")).toBeUndefined();
    expect(s.banned()).toEqual([]);
    // a fresh start: one mid-tolerance offence does not ban
    expect(s.penalize("p", "midTolerance", "y")).toBe(false);
  });

  it("past 10,000 records, the ones that no longer matter are forgotten, never the banned ones", () => {
    const c = clock();
    const s = new PeerScores({ now: c.now, halfLifeMs: MIN, banMs: 1000 * MIN });
    s.penalize("villain", "fatal", "x");
    for (let i = 0; i < 10_000; i++) s.penalize(`p${i}`, "highTolerance", "x");
    expect(s.score("p0")).toBe(-2);
    c.advance(2 * MIN); // −2 → −0.5: negligible
    s.penalize("newcomer", "highTolerance", "x");
    expect(s.score("p0")).toBe(0); // forgotten (a decayed record would say −0.5)
    expect(s.score("p9999")).toBe(0);
    expect(s.isBanned("villain")).toBe(true);
    expect(s.score("newcomer")).toBe(-2);
  });
});

describe("RateLimiter", () => {
  it("allows a burst, then one message per 1/rate seconds", () => {
    const c = clock(0);
    const r = new RateLimiter(4, 3, c.now); // 4 per second: one token every 250 ms
    expect([r.take("p"), r.take("p"), r.take("p")]).toEqual([true, true, true]);
    expect(r.take("p")).toBe(false);
    c.advance(125);
    expect(r.take("p")).toBe(false); // half a token
    c.advance(125);
    expect(r.take("p")).toBe(true);
    expect(r.take("p")).toBe(false);
    c.advance(500);
    expect([r.take("p"), r.take("p"), r.take("p")]).toEqual([true, true, false]);
  });

  it("refills up to the burst only", () => {
    const c = clock(0);
    const r = new RateLimiter(4, 3, c.now);
    r.take("p");
    c.advance(3_600_000);
    expect([r.take("p"), r.take("p"), r.take("p"), r.take("p")]).toEqual([true, true, true, false]);
  });

  it("a refused attempt costs nothing", () => {
    const c = clock(0);
    const r = new RateLimiter(4, 1, c.now);
    expect(r.take("p")).toBe(true);
    for (let i = 0; i < 100; i++) expect(r.take("p")).toBe(false);
    c.advance(250);
    expect(r.take("p")).toBe(true);
  });

  it("keeps one bucket per peer; forget gives a peer a full bucket again", () => {
    const c = clock(0);
    const r = new RateLimiter(1, 2, c.now);
    expect([r.take("a"), r.take("a"), r.take("a")]).toEqual([true, true, false]);
    expect([r.take("b"), r.take("b"), r.take("b")]).toEqual([true, true, false]);
    r.forget("a");
    expect([r.take("a"), r.take("a"), r.take("a")]).toEqual([true, true, false]);
    expect(r.take("b")).toBe(false);
  });
});
