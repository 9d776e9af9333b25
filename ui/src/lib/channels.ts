import type { Channel } from "./types/Channel";
import type { Diagnostic } from "./types/Diagnostic";

export const CHANNELS: readonly Channel[] = ["email", "sms", "push", "print"];

const EXT: Record<Channel, string> = { email: "md", sms: "txt", push: "toml", print: "md" };

/** Mirrors `Channel::source_file` in Rust: the default locale has no suffix. */
export function sourceFile(channel: Channel, locale: string, defaultLocale: string): string {
  return locale === defaultLocale ? `${channel}.${EXT[channel]}` : `${channel}.${locale}.${EXT[channel]}`;
}

/** The channel a template file feeds, or null for files every channel depends on. */
export function channelOfFile(path: string): Channel | null {
  const stem = path.split("/").pop()?.split(".")[0] ?? "";
  return (CHANNELS as readonly string[]).includes(stem) && !path.includes("/") ? (stem as Channel) : null;
}

/** Problems for one pane: its own, plus those of files every channel depends on. */
export function problemsFor(channel: Channel, problems: readonly Diagnostic[]): Diagnostic[] {
  return problems.filter((p) => {
    if (p.channel) return p.channel === channel;
    const fileChannel = p.file ? channelOfFile(p.file) : null;
    return fileChannel === null || fileChannel === channel;
  });
}

export function hasErrors(problems: readonly Diagnostic[]): boolean {
  return problems.some((p) => p.severity === "error");
}

/** Editor tab order: manifest, channels in channel order (default locale first), personas. */
export function orderFiles(paths: readonly string[]): string[] {
  const rank = (p: string): number => {
    if (p === "template.toml") return 0;
    const ch = channelOfFile(p);
    if (ch) return 1 + CHANNELS.indexOf(ch);
    if (p.startsWith("data/")) return 10;
    return 20;
  };
  return [...paths].sort((a, b) => rank(a) - rank(b) || a.length - b.length || a.localeCompare(b));
}
