/** Messages for the user that stay until dismissed (unreadable saved state, storage refusing writes…). */
export class Notices {
  /** Current messages, oldest first; a message already shown is not repeated. */
  list = $state<string[]>([]);

  /** Show `message` (no-op for `null`). */
  add(message: string | null): void {
    if (message !== null && !this.list.includes(message)) this.list = [...this.list, message];
  }

  /** Hide `message`. */
  dismiss(message: string): void {
    this.list = this.list.filter((m) => m !== message);
  }
}
