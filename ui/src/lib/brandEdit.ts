/**
 * The brand kit editor's state on the UI side: a draft made from the kit's detail, the edit
 * sent to the core (which validates it and computes contrast, fixes and what goes stale), and
 * the small decisions the editor makes about showing the answers.
 */
import type { BrandKitDetail } from "./types/BrandKitDetail";
import type { BrandKitEdit } from "./types/BrandKitEdit";
import type { ContrastFixView } from "./types/ContrastFixView";
import type { EditProblem } from "./types/EditProblem";
import type { KitChangeImpact } from "./types/KitChangeImpact";

/** Colour roles in the order the editor shows them. */
export const ROLES = ["primary", "secondary", "text", "background", "muted", "accent"] as const;
export type Role = (typeof ROLES)[number];

export interface IdentityDraft {
  locale: string;
  name: string;
  legal_name: string;
  /** One line per address line, as the user types it. */
  address: string;
  country: string;
}

export interface BrandDraft {
  colors: Record<Role, string>;
  /** A new logo's file as base64, with its name and a data URL to show it. */
  logo: { name: string; base64: string; dataUrl: string } | null;
  emailFont: string;
  printFont: string;
  /** One guideline per line. */
  voice: string;
  identities: IdentityDraft[];
  contact: { phone: string; email: string; website: string; enquiries_url: string; opt_out_url: string };
}

/** The draft of a kit as it is now: saving it unchanged makes no new version. */
export function draftFromDetail(detail: BrandKitDetail): BrandDraft {
  const colors = Object.fromEntries(ROLES.map((r) => [r, ""])) as Record<Role, string>;
  for (const s of detail.swatches) if ((ROLES as readonly string[]).includes(s.role)) colors[s.role as Role] = s.hex;
  return {
    colors,
    logo: null,
    emailFont: detail.email_font_stack ?? "",
    printFont: detail.print_fonts[0] ?? "",
    voice: detail.voice.join("\n"),
    identities: detail.identities.map((i) => ({
      locale: i.locale,
      name: i.name,
      legal_name: i.legal_name,
      address: i.address_lines.join("\n"),
      country: i.country,
    })),
    contact: {
      phone: detail.contact.phone,
      email: detail.contact.email,
      website: detail.contact.website,
      enquiries_url: detail.contact.enquiries_url ?? "",
      opt_out_url: detail.contact.opt_out_url ?? "",
    },
  };
}

const lines = (text: string) => text.split("\n");

/** The edit the core applies. Every field is sent: the core keeps what did not change. */
export function toEdit(draft: BrandDraft): BrandKitEdit {
  return {
    colors: ROLES.map((role) => ({ role, value: draft.colors[role] })),
    logo_base64: draft.logo?.base64 ?? null,
    email_font: draft.emailFont,
    print_font: draft.printFont,
    voice: lines(draft.voice),
    identities: draft.identities.map((i) => ({
      locale: i.locale,
      name: i.name,
      legal_name: i.legal_name,
      address_lines: lines(i.address),
      country: i.country,
    })),
    contact: {
      phone: draft.contact.phone,
      email: draft.contact.email,
      website: draft.contact.website,
      enquiries_url: draft.contact.enquiries_url || null,
      opt_out_url: draft.contact.opt_out_url || null,
    },
  };
}

/** The draft with a suggested colour taken. */
export function applyFix(draft: BrandDraft, fix: ContrastFixView): BrandDraft {
  if (!(ROLES as readonly string[]).includes(fix.role)) return draft;
  return { ...draft, colors: { ...draft.colors, [fix.role]: fix.to_hex.toUpperCase() } };
}

/** `#rrggbb` for a colour input (`<input type=color>` needs exactly that); black otherwise. */
export function pickerValue(value: string): string {
  const v = value.trim();
  if (/^#[0-9a-fA-F]{6}$/.test(v)) return v.toLowerCase();
  if (/^#[0-9a-fA-F]{3}$/.test(v)) return `#${[...v.slice(1)].map((c) => c + c).join("")}`.toLowerCase();
  return "#000000";
}

/** The problems of one field (`colors.primary`), or of a field and its parts (`identities.en`). */
export function problemsFor(problems: readonly EditProblem[], field: string): EditProblem[] {
  return problems.filter((p) => p.field === field || p.field.startsWith(`${field}.`));
}

/** The message of a problem in the UI language. */
export function problemText(p: EditProblem, lang: "ja" | "en"): string {
  return lang === "ja" ? p.ja : p.en;
}

/** The fix offered for a pair, if any. */
export function fixFor(fixes: readonly ContrastFixView[], pair: string): ContrastFixView | null {
  return fixes.find((f) => f.pair === pair) ?? null;
}

/** How many channels of the affected templates change — the number the confirm step leads with. */
export function changedChannels(templates: readonly KitChangeImpact[]): number {
  return templates.reduce((n, t) => n + t.channels.filter((c) => c.state === "changed").length, 0);
}

/** Bytes → base64, in chunks (a spread of a large array overflows the call stack). */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/** Largest logo file the editor sends (the core's limit is the same: 5 MB). */
export const MAX_LOGO_BYTES = 5 * 1024 * 1024;
