import { en, type MessageKey } from "./en";
import { ja } from "./ja";

export type Lang = "ja" | "en";
export const LANGS: readonly Lang[] = ["ja", "en"];
const TABLES: Record<Lang, Record<MessageKey, string>> = { ja, en };
const STORAGE_KEY = "ccm.lang";

function initialLang(): Lang {
  const saved = typeof localStorage !== "undefined" ? localStorage.getItem(STORAGE_KEY) : null;
  if (saved === "ja" || saved === "en") return saved;
  const nav = typeof navigator !== "undefined" ? navigator.language : "ja";
  return nav.startsWith("en") ? "en" : "ja";
}

// Reactive: components re-render when the language changes.
export const i18n = $state({ lang: initialLang() });

export function setLang(lang: Lang): void {
  i18n.lang = lang;
  if (typeof localStorage !== "undefined") localStorage.setItem(STORAGE_KEY, lang);
  if (typeof document !== "undefined") document.documentElement.lang = lang;
}

/**
 * Fills `{name}` placeholders. `{name|one|other}` picks a word by the number in `name` (English
 * needs "1 template" / "2 templates"; Japanese has no plural and never uses it).
 */
export function format(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(
    /\{(\w+)(?:\|([^|}]*)\|([^}]*))?\}/g,
    (whole, name: string, one: string | undefined, other: string | undefined) => {
      if (!(name in params)) return whole;
      if (one === undefined || other === undefined) return String(params[name]);
      return Number(params[name]) === 1 ? one : other;
    },
  );
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return format(TABLES[i18n.lang][key], params);
}

export { en, ja, type MessageKey };
