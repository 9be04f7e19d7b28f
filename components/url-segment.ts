/**
 * A dynamic page segment as the user meant it. Page params arrive still percent-encoded (route
 * handlers get them decoded); a malformed escape such as "%E0%A4%A" is taken as typed rather
 * than failing the page.
 */
export function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
