/**
 * The document the sandboxed email frame shows. The frame already runs no script and has no
 * origin (sandbox=""); this adds what a careful email preview does on top:
 * - remote content blocked unless the user allows it, as mail clients do (a remote image can
 *   be a tracking pixel): a CSP `<meta>` inside the frame narrows the app's own policy;
 * - a dark-mode simulation in which images are inverted back, so photos and logos keep their
 *   colours under the inverting wrapper.
 */
export const BLOCK_REMOTE =
  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data: blob:; style-src 'unsafe-inline'; font-src data:\">";
const DARK_IMAGES = "<style>img{filter:invert(1) hue-rotate(180deg)}</style>";

export function emailDocument(html: string, opts: { dark: boolean; remote: boolean }): string {
  return (opts.remote ? "" : BLOCK_REMOTE) + (opts.dark ? DARK_IMAGES : "") + html;
}

/** How many `<img>` sources in `html` are remote (http/https), to say what the toggle loads. */
export function remoteImageCount(html: string): number {
  return [...html.matchAll(/<img\b[^>]*\bsrc\s*=\s*["']?\s*https?:/gi)].length;
}
