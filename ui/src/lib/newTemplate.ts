/**
 * The "New template" / "Duplicate" form without its markup: what the id check means, when the
 * form may be sent, and the request it sends. The checks themselves (id spelling, clashes,
 * starter options) happen in the core; this only arranges the answers for the dialog.
 */
import type { MessageKey } from "./i18n/en";
import type { Channel } from "./types/Channel";
import type { CreateTemplateRequest } from "./types/CreateTemplateRequest";
import type { IdCheck } from "./types/IdCheck";
import type { Purpose } from "./types/Purpose";

/** The locales the starter has copy in, in the order the dialog lists them. */
export const STARTER_LOCALES = ["ja", "en"] as const;
export const ALL_CHANNELS: readonly Channel[] = ["email", "sms", "push", "print"];

export interface NewTemplateForm {
  name: string;
  id: string;
  start: "starter" | "copy";
  /** Template to copy (start = copy). */
  copyFrom: string;
  brand: string;
  purpose: Purpose;
  industry: string;
  /** Chosen locales, any order. */
  locales: string[];
  defaultLocale: string;
  channels: Channel[];
}

/** The id check as the dialog shows it: a message key and whether it blocks creating. */
export interface IdVerdict {
  key: MessageKey;
  ok: boolean;
}

/**
 * What to show for `id`, given the newest check and the id it was made for. A check of an
 * older spelling says nothing about the current one.
 */
export function idVerdict(id: string, check: IdCheck | null, checkedId: string | null): IdVerdict {
  if (id === "") return { key: "new.idEmpty", ok: false };
  if (!check || checkedId !== id) return { key: "new.idChecking", ok: false };
  switch (check.problem) {
    case "empty":
      return { key: "new.idEmpty", ok: false };
    case "invalid_characters":
      return { key: "new.idInvalidCharacters", ok: false };
    case "dash_at_edge":
      return { key: "new.idDashAtEdge", ok: false };
    case null:
      return check.taken ? { key: "new.idTaken", ok: false } : { key: "new.idOk", ok: true };
  }
}

/** The chosen locales with the default first, the rest in the dialog's order. */
export function orderedLocales(chosen: readonly string[], defaultLocale: string): string[] {
  const rest = STARTER_LOCALES.filter((l) => l !== defaultLocale && chosen.includes(l));
  return chosen.includes(defaultLocale) ? [defaultLocale, ...rest] : rest;
}

/** The default locale after the chosen set changed: kept when still chosen, else the first. */
export function keepDefault(chosen: readonly string[], defaultLocale: string): string {
  if (chosen.includes(defaultLocale)) return defaultLocale;
  return STARTER_LOCALES.find((l) => chosen.includes(l)) ?? defaultLocale;
}

/** The starter's locale for a brand: its own when there is starter copy in it. */
export function brandLocale(brandDefault: string): string {
  return (STARTER_LOCALES as readonly string[]).includes(brandDefault) ? brandDefault : "en";
}

/** True when every field the chosen start needs is filled and the id is usable. */
export function canCreate(form: NewTemplateForm, verdict: IdVerdict): boolean {
  if (!verdict.ok || form.name.trim() === "") return false;
  if (form.start === "copy") return form.copyFrom !== "";
  return (
    form.brand !== "" &&
    form.industry.trim() !== "" &&
    orderedLocales(form.locales, form.defaultLocale).length > 0 &&
    form.channels.length > 0
  );
}

export function toRequest(form: NewTemplateForm): CreateTemplateRequest {
  const base = { id: form.id, name: form.name.trim() };
  if (form.start === "copy") return { ...base, start: { kind: "copy", from: form.copyFrom } };
  return {
    ...base,
    start: {
      kind: "starter",
      brand: form.brand,
      purpose: form.purpose,
      industry: form.industry.trim(),
      locales: orderedLocales(form.locales, form.defaultLocale),
      channels: ALL_CHANNELS.filter((c) => form.channels.includes(c)),
    },
  };
}

/** The id offered for a copy of `id`. */
export function copyId(id: string): string {
  return `${id}-copy`;
}
