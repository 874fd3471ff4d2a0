/**
 * A small network lab of Linux network namespaces for partition tests (needs root and iproute2):
 *
 *   - one namespace per node, with a data interface on a bridge in a hub namespace: the nodes'
 *     libp2p traffic goes only there, so moving interfaces between bridges partitions the network
 *     (2|2), detaching one isolates a node, and setting it down and up flaps its link;
 *   - one management veth per node straight to the root namespace (a /30 each, no routes beyond
 *     it): the test reaches each node's RPC there whatever the data network does.
 *
 * Every name carries a prefix with the test process's pid; everything lives in namespaces the lab
 * created, so deleting them removes every interface and address (also from an exit handler, and
 * stale labs of dead test processes are removed on creation). Addresses come from a 10.x.0.0/16
 * that no route of the host uses.
 */
import { execFileSync } from "node:child_process";

function ip(args: string[]): string {
  return execFileSync("ip", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function tryIp(args: string[]): boolean {
  try {
    ip(args);
    return true;
  } catch {
    return false;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const PREFIX = "stf";
const labs = new Set<NetnsLab>();
let exitHook = false;

export interface LabNode {
  ns: string;
  /** libp2p address (data network) */
  dataIp: string;
  /** RPC address reachable from the root namespace */
  mgmtIp: string;
  /** the hub side of the node's data link */
  hubIf: string;
}

export class NetnsLab {
  readonly id: string;
  readonly hub: string;
  readonly nodes: LabNode[] = [];
  private readonly bridges = new Set<string>();
  private octet = 0;
  private destroyed = false;

  private constructor() {
    this.id = `${PREFIX}${process.pid % 100000}`;
    this.hub = `${this.id}hub`;
  }

  /** Why the lab cannot run here, or undefined when it can (root, iproute2, namespaces). */
  static unavailable(): string | undefined {
    if (process.getuid?.() !== 0) return "not root";
    try {
      ip(["-V"]);
    } catch {
      return "iproute2 (ip) is not installed";
    }
    const probe = `${PREFIX}probe${process.pid % 100000}`;
    if (!tryIp(["netns", "add", probe])) return "cannot create network namespaces";
    tryIp(["netns", "del", probe]);
    return undefined;
  }

  /** Removes labs left by test processes that died without cleaning up. */
  static removeStale(): void {
    let list = "";
    try {
      list = ip(["netns", "list"]);
    } catch {
      return;
    }
    for (const line of list.split("\n")) {
      const name = line.trim().split(/\s+/)[0];
      const m = /^stf(\d+)(hub|n\d+)$/.exec(name ?? "");
      if (m && Number(m[1]) !== process.pid % 100000 && !pidAlive(Number(m[1]))) tryIp(["netns", "del", name]);
    }
  }

  static async create(n: number): Promise<NetnsLab> {
    NetnsLab.removeStale();
    const lab = new NetnsLab();
    labs.add(lab);
    if (!exitHook) {
      exitHook = true;
      process.on("exit", () => {
        for (const l of labs) l.destroy();
      });
    }
    try {
      lab.octet = lab.freeOctet();
      ip(["netns", "add", lab.hub]);
      ip(["-n", lab.hub, "link", "set", "lo", "up"]);
      lab.bridge(0);
      for (let i = 0; i < n; i++) lab.addNode(i);
    } catch (e) {
      lab.destroy();
      throw e;
    }
    return lab;
  }

  /** A second octet x such that no route of the host touches 10.x.0.0/16. */
  private freeOctet(): number {
    const routes = ip(["-4", "route", "show", "table", "all"]) + ip(["-4", "addr"]);
    for (let x = 231; x < 255; x++) if (!routes.includes(`10.${x}.`)) return x;
    throw new Error("no free 10.x.0.0/16 for the lab");
  }

  private bridge(k: number): string {
    const name = `br${k}`;
    if (!this.bridges.has(name)) {
      ip(["-n", this.hub, "link", "add", name, "type", "bridge"]);
      ip(["-n", this.hub, "link", "set", name, "up"]);
      this.bridges.add(name);
    }
    return name;
  }

  private addNode(i: number): void {
    const ns = `${this.id}n${i}`;
    const hubIf = `${this.id}h${i}`;
    const dataTmp = `${this.id}d${i}`;
    const mgmtRoot = `${this.id}m${i}`;
    const mgmtTmp = `${this.id}r${i}`;
    const x = this.octet;
    ip(["netns", "add", ns]);
    ip(["-n", ns, "link", "set", "lo", "up"]);
    // data: node ns (eth0) <-> hub bridge
    ip(["link", "add", dataTmp, "type", "veth", "peer", "name", hubIf]);
    ip(["link", "set", hubIf, "netns", this.hub]);
    ip(["link", "set", dataTmp, "netns", ns]);
    ip(["-n", ns, "link", "set", dataTmp, "name", "eth0"]);
    ip(["-n", ns, "addr", "add", `10.${x}.0.${i + 1}/24`, "dev", "eth0"]);
    ip(["-n", ns, "link", "set", "eth0", "up"]);
    ip(["-n", this.hub, "link", "set", hubIf, "master", "br0", "up"]);
    // management: root <-> node ns (mgmt0), a /30 of its own
    ip(["link", "add", mgmtRoot, "type", "veth", "peer", "name", mgmtTmp]);
    ip(["link", "set", mgmtTmp, "netns", ns]);
    ip(["-n", ns, "link", "set", mgmtTmp, "name", "mgmt0"]);
    ip(["addr", "add", `10.${x}.${10 + i}.1/30`, "dev", mgmtRoot]);
    ip(["link", "set", mgmtRoot, "up"]);
    ip(["-n", ns, "addr", "add", `10.${x}.${10 + i}.2/30`, "dev", "mgmt0"]);
    ip(["-n", ns, "link", "set", "mgmt0", "up"]);
    this.nodes.push({ ns, dataIp: `10.${x}.0.${i + 1}`, mgmtIp: `10.${x}.${10 + i}.2`, hubIf });
  }

  /** Puts each group of nodes on a bridge of its own: they reach each other, no one else. */
  partition(groups: number[][]): void {
    groups.forEach((g, k) => {
      const br = this.bridge(k);
      for (const i of g) ip(["-n", this.hub, "link", "set", this.nodes[i].hubIf, "master", br]);
    });
  }

  /** Cuts one node off (its link stays up, attached to nothing). */
  isolate(i: number): void {
    ip(["-n", this.hub, "link", "set", this.nodes[i].hubIf, "nomaster"]);
  }

  /** Everyone back on one bridge, every link up. */
  heal(): void {
    for (const n of this.nodes) {
      ip(["-n", this.hub, "link", "set", n.hubIf, "master", "br0"]);
      ip(["-n", this.hub, "link", "set", n.hubIf, "up"]);
    }
  }

  setLink(i: number, up: boolean): void {
    ip(["-n", this.hub, "link", "set", this.nodes[i].hubIf, up ? "up" : "down"]);
  }

  /** Deletes every namespace of the lab (their interfaces and addresses go with them). Idempotent. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const n of this.nodes) tryIp(["netns", "del", n.ns]);
    for (let i = 0; i < 16; i++) tryIp(["netns", "del", `${this.id}n${i}`]);
    tryIp(["netns", "del", this.hub]);
    // root-side management ends vanish with their peers; make sure
    for (let i = 0; i < 16; i++) tryIp(["link", "del", `${this.id}m${i}`]);
    labs.delete(this);
  }

  /** What is left of the lab in the system (for the cleanup check). */
  leftovers(): string[] {
    const names = ip(["netns", "list"]) + ip(["link", "show"]);
    return names.split("\n").filter((l) => l.includes(this.id)).map((l) => l.trim());
  }
}
