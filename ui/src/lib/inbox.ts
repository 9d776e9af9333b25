import { truncateToWidth } from "./textWidth";

/**
 * How a phone's mail list shows a message (iPhone Mail, portrait, default text size): the
 * sender on one line, the subject on one line, then two lines of preheader/preview text.
 * Widths are in display columns (a kanji or kana takes two).
 */
export const INBOX_COLUMNS = { sender: 26, subject: 36, preview: 76 } as const;

export interface InboxRow {
  sender: string;
  subject: string;
  preview: string;
  subjectTruncated: boolean;
  previewTruncated: boolean;
}

export function inboxRow(sender: string, subject: string, preheader: string, text: string): InboxRow {
  // Without a preheader, clients show the start of the body text instead.
  const previewSource = preheader.trim() ? preheader : text;
  const s = truncateToWidth(sender, INBOX_COLUMNS.sender);
  const sub = truncateToWidth(subject, INBOX_COLUMNS.subject);
  const pre = truncateToWidth(previewSource, INBOX_COLUMNS.preview);
  return {
    sender: s.text,
    subject: sub.text,
    preview: pre.text,
    subjectTruncated: sub.truncated,
    previewTruncated: pre.truncated,
  };
}
