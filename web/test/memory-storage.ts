/** An in-memory `Storage` (localStorage's interface) for the tests of state classes and slots. */
export class MemoryStorage implements Storage {
  readonly map = new Map<string, string>();
  /** How many times `setItem` ran (tests of debounced writes count them). */
  writes = 0;
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
  setItem(key: string, value: string) {
    this.writes++;
    this.map.set(key, value);
  }
}
