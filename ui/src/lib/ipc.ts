/**
 * The only module that talks to the Rust side. Every command is typed with the types generated
 * from Rust (./types, by ts-rs); every failure arrives as an `IpcError` {code, message, details}.
 */
import { invoke, Channel } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { IpcError as IpcErrorShape } from "./types/IpcError";
import type { LibraryInfo } from "./types/LibraryInfo";
import type { ListQuery } from "./types/ListQuery";
import type { TemplateSummary } from "./types/TemplateSummary";
import type { SearchResult } from "./types/SearchResult";
import type { BrandChoice } from "./types/BrandChoice";
import type { BrandKitSummary } from "./types/BrandKitSummary";
import type { BrandKitDetail } from "./types/BrandKitDetail";
import type { BrandKitEdit } from "./types/BrandKitEdit";
import type { BrandKitPreview } from "./types/BrandKitPreview";
import type { BrandKitImpact } from "./types/BrandKitImpact";
import type { BrandKitSaved } from "./types/BrandKitSaved";
import type { BrandFontChoices } from "./types/BrandFontChoices";
import type { IdCheck } from "./types/IdCheck";
import type { CreateTemplateRequest } from "./types/CreateTemplateRequest";
import type { CreatedTemplate } from "./types/CreatedTemplate";
import type { TemplateDoc } from "./types/TemplateDoc";
import type { VersionInfo } from "./types/VersionInfo";
import type { PreviewRequest } from "./types/PreviewRequest";
import type { PreviewEvent } from "./types/PreviewEvent";
import type { PrintPageView } from "./types/PrintPageView";
import type { CheckAllReport } from "./types/CheckAllReport";
import type { SaveRequest } from "./types/SaveRequest";
import type { SaveResult } from "./types/SaveResult";
import type { LibraryEvent } from "./types/LibraryEvent";
import type { ConflictSide } from "./types/ConflictSide";
import type { FileDiff } from "./types/FileDiff";
import type { BlockSummary } from "./types/BlockSummary";
import type { BlockDetail } from "./types/BlockDetail";
import type { LibraryStatus } from "./types/LibraryStatus";
import type { AboutInfo } from "./types/AboutInfo";
import type { IdentityInfo } from "./types/IdentityInfo";
import type { Role } from "./types/Role";
import type { Status } from "./types/Status";
import type { QueueItem } from "./types/QueueItem";
import type { WaiverInput } from "./types/WaiverInput";
import type { Anchor } from "./types/Anchor";
import type { ArchiveQuery } from "./types/ArchiveQuery";
import type { ArchiveRowView } from "./types/ArchiveRowView";
import type { ArchiveEntryDetail } from "./types/ArchiveEntryDetail";
import type { VerifyReport } from "./types/VerifyReport";
import type { FileChange } from "./types/FileChange";
import type { PackSelectionInput } from "./types/PackSelectionInput";
import type { PackPlanView } from "./types/PackPlanView";
import type { PackProgressView } from "./types/PackProgressView";
import type { PackExportedView } from "./types/PackExportedView";
import type { PackLayout } from "./types/PackLayout";
import { localizedError } from "./errorText";

export class IpcError extends Error {
  readonly code: string;
  readonly summary: IpcErrorShape["summary"];
  readonly details: IpcErrorShape["details"];
  constructor(shape: IpcErrorShape) {
    super(shape.message);
    this.code = shape.code;
    this.summary = shape.summary;
    this.details = shape.details;
  }
}

/**
 * The registry's `ipc` entry (crates/core/src/diagnostic/codes.rs): the one error the UI makes
 * itself, when the core did not answer with an IpcError at all.
 */
const UNREACHABLE = { en: "The app could not reach its core", ja: "アプリの処理部に接続できません" };

function isIpcErrorShape(e: unknown): e is IpcErrorShape {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    if (isIpcErrorShape(e)) throw new IpcError(e);
    throw new IpcError({ code: "ipc", summary: UNREACHABLE, message: String(e), details: null });
  }
}

export const ipc = {
  libraryInfo: () => call<LibraryInfo>("library_info"),
  openLibrary: (path: string) => call<LibraryInfo>("open_library", { path }),
  listTemplates: (query: ListQuery) => call<TemplateSummary[]>("list_templates", { query }),
  searchTemplates: (query: string, limit: number) =>
    call<SearchResult[]>("search_templates", { query, limit }),
  listBrands: () => call<BrandChoice[]>("list_brands"),
  brandKits: () => call<BrandKitSummary[]>("brand_kits"),
  brandKit: (id: string) => call<BrandKitDetail>("brand_kit", { id }),
  brandFontChoices: () => call<BrandFontChoices>("brand_font_choices"),
  brandKitPreviewEdit: (brandId: string, edit: BrandKitEdit) =>
    call<BrandKitPreview>("brand_kit_preview_edit", { brandId, edit }),
  brandKitImpact: (brandId: string, edit: BrandKitEdit) =>
    call<BrandKitImpact>("brand_kit_impact", { brandId, edit }),
  brandKitSave: (brandId: string, edit: BrandKitEdit, confirmStale: boolean) =>
    call<BrandKitSaved>("brand_kit_save", { brandId, edit, confirmStale }),
  packExportPlan: (selection: PackSelectionInput) => call<PackPlanView>("pack_export_plan", { selection }),
  /** Exports off the main thread; `onProgress` gets the core's progress events as they come. */
  packExport: (
    selection: PackSelectionInput,
    out: string,
    layout: PackLayout,
    onProgress: (p: PackProgressView) => void,
  ) => {
    const channel = new Channel<PackProgressView>();
    channel.onmessage = onProgress;
    return call<PackExportedView>("pack_export", { selection, out, layout, onProgress: channel });
  },
  sharedBlocks: () => call<BlockSummary[]>("shared_blocks"),
  sharedBlock: (name: string) => call<BlockDetail>("shared_block", { name }),
  checkNewTemplateId: (id: string, name: string) =>
    call<IdCheck>("check_new_template_id", { id, name }),
  createTemplate: (request: CreateTemplateRequest) =>
    call<CreatedTemplate>("create_template", { request }),
  getTemplate: (id: string, version: number | null) =>
    call<TemplateDoc>("get_template", { id, version }),
  templateHistory: (id: string) => call<VersionInfo[]>("template_history", { id }),
  templateDiff: (id: string, from: number, to: number | null) =>
    call<FileDiff[]>("template_diff", { id, from, to }),
  /** Renders every pane of the draft; each result arrives on `onEvent` as soon as it is ready. */
  /**
   * Renders every pane of the draft; each result arrives on `onEvent` as soon as it is ready.
   * The letter's page `printPage` is rasterised at `printDpi` (the pane's resolution).
   */
  previewLive: (request: PreviewRequest, printPage: number, printDpi: number, onEvent: (e: PreviewEvent) => void) => {
    const channel = new Channel<PreviewEvent>();
    channel.onmessage = onEvent;
    return call<null>("preview_live", { request, printPage, printDpi, onEvent: channel });
  },
  /** Another page of the letter the newest preview laid out, at `dpi`. */
  previewPage: (page: number, dpi: number) => call<PrintPageView>("preview_page", { page, dpi }),
  checkAll: (request: PreviewRequest) => call<CheckAllReport>("check_all", { request }),
  saveTemplate: (request: SaveRequest) => call<SaveResult>("save_template", { request }),
  resolveFolderConflict: (templateId: string, keep: ConflictSide) =>
    call<null>("resolve_folder_conflict", { templateId, keep }),
  libraryStatus: () => call<LibraryStatus>("library_status"),
  aboutInfo: () => call<AboutInfo>("about_info"),
  lastTemplate: () => call<string | null>("last_template"),
  rememberTemplate: (id: string | null) => call<null>("remember_template", { id }),
  quitApp: () => call<null>("quit_app"),
  identityInfo: () => call<IdentityInfo | null>("identity_info"),
  createIdentity: (name: string, role: Role) => call<IdentityInfo>("create_identity", { name, role }),
  reviewStatus: (templateId: string) => call<Status>("review_status", { templateId }),
  reviewQueue: () => call<QueueItem[]>("review_queue"),
  reviewSubmit: (templateId: string, comment: string | null) =>
    call<Status>("review_submit", { templateId, comment }),
  reviewWithdraw: (templateId: string, comment: string | null) =>
    call<Status>("review_withdraw", { templateId, comment }),
  reviewRequestChanges: (templateId: string, comment: string) =>
    call<Status>("review_request_changes", { templateId, comment }),
  reviewApprove: (templateId: string, comment: string | null, waivers: WaiverInput[]) =>
    call<Status>("review_approve", { templateId, comment, waivers }),
  reviewComment: (templateId: string, text: string, anchor: Anchor | null) =>
    call<Status>("review_comment", { templateId, text, anchor }),
  reviewEditComment: (templateId: string, seq: number, text: string) =>
    call<Status>("review_edit_comment", { templateId, seq, text }),
  archiveSearch: (query: ArchiveQuery) => call<ArchiveRowView[]>("archive_search", { query }),
  archiveEntry: (seq: number) => call<ArchiveEntryDetail>("archive_entry", { seq }),
  archiveVerify: () => call<VerifyReport>("archive_verify"),
  archiveDiff: (a: number, b: number) => call<FileChange[]>("archive_diff", { a, b }),
};

/** Library changes made outside the app (the watched folder), pushed by the Rust side. */
export function onLibraryEvent(handler: (event: LibraryEvent) => void): Promise<UnlistenFn> {
  return listen<LibraryEvent>("library-event", (e) => handler(e.payload));
}

export function errorMessage(e: unknown): string {
  if (e instanceof IpcError) return localizedError(e.summary, e.message);
  if (e instanceof Error) return e.message;
  return String(e);
}
