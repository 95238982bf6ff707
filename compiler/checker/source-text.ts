// The text of a span as written, comments dropped and white space collapsed outside strings:
// the `definition` of a feature and the quoted code in fixes.
import type { Loc } from "../../grammar/ast.js";

export function sourceText(fileText: string, loc: Loc): string {
  const raw = fileText.slice(loc.offset, loc.endOffset + 1);
  let out = "";
  let pendingSpace = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"') {
      // Copy a string literal verbatim, escapes included.
      let j = i + 1;
      while (j < raw.length && raw[j] !== '"') j += raw[j] === "\\" ? 2 : 1;
      if (pendingSpace && out) out += " ";
      pendingSpace = false;
      out += raw.slice(i, j + 1);
      i = j;
    } else if (c === "/" && raw[i + 1] === "/") {
      while (i < raw.length && raw[i] !== "\n") i++;
      pendingSpace = true;
    } else if (/\s/.test(c)) {
      pendingSpace = true;
    } else {
      if (pendingSpace && out) out += " ";
      pendingSpace = false;
      out += c;
    }
  }
  return out;
}
