/**
 * A 32-bit PRNG (mulberry32): the same seed gives the same sequence in every process, for
 * benchmark inputs and bootstrap resampling. (testkit has the same generator; importing it
 * would load protobufjs into the child processes whose start-up and memory are measured.)
 */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
