/** Messages for the user that stay until dismissed (unreadable saved state, storage refusing writes…). */

/** A file the user can download from a notice (e.g. the unreadable record that was set aside). */
export interface NoticeDownload {
  /** Suggested file name. */
  filename: string;
  /** Its content. */
  text: string;
}

/** One message. */
export interface Notice {
  message: string;
  download?: NoticeDownload;
}

export class Notices {
  /** Current messages, oldest first; a message already shown is not repeated. */
  list = $state.raw<Notice[]>([]);

  /** Show `message` (no-op for `null`), optionally with a file to download. */
  add(message: string | null, download?: NoticeDownload): void {
    if (message !== null && !this.list.some((n) => n.message === message)) this.list = [...this.list, { message, download }];
  }

  /** Hide `message`. */
  dismiss(message: string): void {
    this.list = this.list.filter((n) => n.message !== message);
  }
}
