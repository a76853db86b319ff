/**
 * Runs a measurement until one is undisturbed — other work on the machine used at most
 * `limitCores` during it — at most 1 + `retries` times, and keeps the least disturbed run.
 * `report` prints each run; `note` says whether it was disturbed (and is run again).
 */
export async function leastDisturbed<F extends { otherCpu: number }>(
  measure: () => Promise<F>,
  report: (figures: F, note: string) => void,
  options: { retries: number; limitCores: number; once?: boolean },
): Promise<F> {
  let best: F | undefined;
  for (let attempt = 0; attempt <= options.retries; attempt++) {
    const figures = await measure();
    const disturbed = figures.otherCpu > options.limitCores;
    report(figures, disturbed ? `  (disturbed${attempt < options.retries ? ', again' : ''})` : '');
    if (!best || figures.otherCpu < best.otherCpu) best = figures;
    if (!disturbed || options.once) break;
  }
  return best!;
}
