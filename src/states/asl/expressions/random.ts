/**
 * Seeded random numbers, repeatable for a seed as AWS promises for States.MathRandom and
 * JSONata's $random with a seed: the linear congruential generator of java.util.Random.
 */
const MULT = 0x5deece66dn;
const MASK = (1n << 48n) - 1n;

function generator(seed: number): (bits: number) => number {
  let state = (BigInt(seed) ^ MULT) & MASK;
  return (bits) => {
    state = (state * MULT + 0xbn) & MASK;
    return Number(state >> BigInt(48 - bits));
  };
}

/** The first `new Random(seed).nextInt(bound)`: an integer in [0, bound). */
export function seededNextInt(seed: number, bound: number): number {
  const next = generator(seed);
  if ((bound & -bound) === bound) return Number((BigInt(bound) * BigInt(next(31))) >> 31n);
  for (;;) {
    const bits = next(31);
    const val = bits % bound;
    if (bits - val + (bound - 1) < 2 ** 31) return val;
  }
}

/** The first `new Random(seed).nextDouble()`: a number in [0, 1). */
export function seededNextDouble(seed: number): number {
  const next = generator(seed);
  const high = next(26);
  const low = next(27);
  return (high * 2 ** 27 + low) / 2 ** 53;
}
