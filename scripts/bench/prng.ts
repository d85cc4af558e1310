/** mulberry32: a tiny seeded PRNG, so the same seed always builds the same dataset. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)],
    /** One of `choices`, with the given relative weights. */
    weighted: <T>(choices: readonly [T, number][]): T => {
      const total = choices.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [value, w] of choices) {
        if ((r -= w) < 0) return value;
      }
      return choices[choices.length - 1][0];
    },
  };
}
export type Prng = ReturnType<typeof prng>;
