// Aho–Corasick automaton over UTF-16 code units: one pass over a text finds every occurrence of
// every pattern, however many patterns there are. Built once per list set, then read-only; the
// trie is stored as flat typed arrays (sorted edges per state) to stay small and cache-friendly.

/** Above this many first characters, the root gets a direct 64K lookup table (256 KB). */
const ROOT_TABLE_THRESHOLD = 256;

export class AhoCorasick {
  private constructor(
    private readonly edgeStart: Int32Array,
    private readonly edgeChar: Uint16Array,
    private readonly edgeTarget: Int32Array,
    private readonly rootTable: Int32Array | undefined,
    private readonly fail: Int32Array,
    /** The nearest state on the failure chain (excluding itself) where some pattern ends; 0 if none. */
    private readonly outputLink: Int32Array,
    private readonly outputStart: Int32Array,
    private readonly outputs: Int32Array,
    /** Length of each pattern, by its index in the list it was built from. */
    readonly patternLengths: Int32Array,
  ) {}

  /** Empty patterns are accepted and never match. */
  static build(patterns: readonly string[]): AhoCorasick {
    // 1. The trie, with edges keyed by state * 65536 + code unit.
    const edges = new Map<number, number>();
    const endsHere = new Map<number, number[]>();
    let states = 1;
    patterns.forEach((pattern, index) => {
      if (pattern.length === 0) return;
      let state = 0;
      for (let i = 0; i < pattern.length; i += 1) {
        const key = state * 65536 + pattern.charCodeAt(i);
        let next = edges.get(key);
        if (next === undefined) {
          next = states;
          states += 1;
          edges.set(key, next);
        }
        state = next;
      }
      const list = endsHere.get(state);
      if (list) list.push(index);
      else endsHere.set(state, [index]);
    });

    // 2. Edges sorted by (state, code unit): each state's edges sit together, ready for binary search.
    const keys = Float64Array.from(edges.keys()).sort();
    const edgeStart = new Int32Array(states + 1);
    const edgeChar = new Uint16Array(keys.length);
    const edgeTarget = new Int32Array(keys.length);
    keys.forEach((key, i) => {
      const from = Math.floor(key / 65536);
      edgeChar[i] = key % 65536;
      edgeTarget[i] = edges.get(key)!;
      edgeStart[from + 1] += 1;
    });
    for (let s = 0; s < states; s += 1) edgeStart[s + 1] += edgeStart[s];

    let rootTable: Int32Array | undefined;
    if (edgeStart[1] > ROOT_TABLE_THRESHOLD) {
      rootTable = new Int32Array(65536).fill(-1);
      for (let e = 0; e < edgeStart[1]; e += 1) rootTable[edgeChar[e]] = edgeTarget[e];
    }

    const outputStart = new Int32Array(states + 1);
    for (const [state, list] of endsHere) outputStart[state + 1] = list.length;
    for (let s = 0; s < states; s += 1) outputStart[s + 1] += outputStart[s];
    const outputs = new Int32Array(outputStart[states]);
    for (const [state, list] of endsHere) outputs.set(list, outputStart[state]);

    const automaton = new AhoCorasick(
      edgeStart,
      edgeChar,
      edgeTarget,
      rootTable,
      new Int32Array(states),
      new Int32Array(states),
      outputStart,
      outputs,
      Int32Array.from(patterns, (p) => p.length),
    );
    automaton.linkFailures();
    return automaton;
  }

  /** Calls `onMatch(patternIndex, end)` for every occurrence, `end` exclusive, in order of `end`. */
  scan(text: string, onMatch: (pattern: number, end: number) => void): void {
    const { fail, outputLink, outputStart, outputs } = this;
    let state = 0;
    for (let i = 0; i < text.length; i += 1) {
      const code = text.charCodeAt(i);
      let next = this.step(state, code);
      while (next < 0 && state !== 0) {
        state = fail[state];
        next = this.step(state, code);
      }
      state = next < 0 ? 0 : next;
      for (let s = outputStart[state] < outputStart[state + 1] ? state : outputLink[state]; s !== 0; s = outputLink[s]) {
        for (let k = outputStart[s]; k < outputStart[s + 1]; k += 1) onMatch(outputs[k], i + 1);
      }
    }
  }

  private step(state: number, code: number): number {
    if (state === 0 && this.rootTable) return this.rootTable[code];
    let low = this.edgeStart[state];
    let high = this.edgeStart[state + 1] - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const c = this.edgeChar[mid];
      if (c === code) return this.edgeTarget[mid];
      if (c < code) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  /** Breadth-first, so a state's failure target (always shallower) is linked before the state. */
  private linkFailures(): void {
    const { edgeStart, edgeChar, edgeTarget, fail, outputLink, outputStart } = this;
    const queue = new Int32Array(fail.length);
    let head = 0;
    let tail = 0;
    for (let e = edgeStart[0]; e < edgeStart[1]; e += 1) queue[tail++] = edgeTarget[e];
    while (head < tail) {
      const state = queue[head++];
      for (let e = edgeStart[state]; e < edgeStart[state + 1]; e += 1) {
        const child = edgeTarget[e];
        let f = fail[state];
        let target = this.step(f, edgeChar[e]);
        while (target < 0 && f !== 0) {
          f = fail[f];
          target = this.step(f, edgeChar[e]);
        }
        fail[child] = target < 0 ? 0 : target;
        const via = fail[child];
        outputLink[child] = outputStart[via] < outputStart[via + 1] ? via : outputLink[via];
        queue[tail++] = child;
      }
    }
  }
}
