// A source of choices for the program generator, read from a list of numbers that fast-check
// generates and shrinks. Choice 0 is always the simplest alternative and an exhausted list answers 0,
// so when fast-check shrinks the list (shorter, smaller numbers) the program becomes simpler too.
export class Choices {
  private next = 0;

  constructor(private readonly numbers: readonly number[]) {}

  /** An integer in [0, n). */
  int(n: number): number {
    if (n <= 1) return 0;
    const value = this.next < this.numbers.length ? this.numbers[this.next] : 0;
    this.next++;
    return value % n;
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("Choices.pick: nothing to pick from");
    return items[this.int(items.length)];
  }

  /** True with about `percent` % probability; false when the list is exhausted. */
  chance(percent: number): boolean {
    return this.int(100) >= 100 - percent;
  }

  /** A permutation of `items` (Fisher–Yates driven by choices). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
}
