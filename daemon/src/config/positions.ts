/** Map a JSON path in a parsed YAML document back to a line and column. */
import { type Document, isMap, isScalar, type LineCounter, type Node } from "yaml";

/** 1-based line and column of the node at `path` (the key, for a map entry), or of its nearest ancestor. */
export function positionOf(
  doc: Document,
  lc: LineCounter,
  path: (string | number)[],
): { line: number; col: number } {
  for (let n = path.length; n >= 0; n--) {
    const sub = path.slice(0, n);
    const offset = offsetOf(doc, sub);
    if (offset !== undefined) return lc.linePos(offset);
  }
  return { line: 1, col: 1 };
}

function offsetOf(doc: Document, path: (string | number)[]): number | undefined {
  if (path.length === 0) return (doc.contents as Node | null)?.range?.[0];
  const parent = doc.getIn(path.slice(0, -1), true) as Node | undefined;
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(last));
    const key = pair?.key as Node | undefined;
    if (key?.range) return key.range[0];
    return undefined;
  }
  const node = doc.getIn(path, true) as Node | undefined;
  return node?.range?.[0];
}
