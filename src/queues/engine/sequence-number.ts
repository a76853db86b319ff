const ONE_AND_ZEROS = `1${'0'.repeat(19)}`;

/** FIFO sequence numbers: large, increasing, non-consecutive 20-digit strings, as AWS's are. */
export function sequenceNumberFor(seq: number): string {
  const step = seq * 1024;
  // 10^19 + step, written out: step is exact below 2^53 (and far below 10^19), no BigInt needed.
  // A slice of a constant, not padStart: this runs for every FIFO message sent.
  if (Number.isSafeInteger(step) && step >= 0) {
    const digits = String(step);
    return ONE_AND_ZEROS.slice(0, 20 - digits.length) + digits;
  }
  return (10n ** 19n + BigInt(seq) * 1024n).toString();
}
