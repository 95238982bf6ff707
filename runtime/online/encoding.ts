// Order-preserving ASCII encodings for online state: sort keys (the source's event order) and
// payloads (exact, self-describing, with a total order used to break ties). Byte order of the encoded
// strings is the order of the values, so every backend (JS strings, SQLite BLOB/TEXT, Redis sorted
// sets) sorts them the same way. Alphabet: 0-9 a-f and '!' (a string terminator below every digit).
import type { Payload, Scalar } from "./backend.js";

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const float = new Float64Array(1);
const words = new Uint32Array(float.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = LITTLE_ENDIAN ? 0 : 1;

function hex32(n: number): string {
  return HEX[n >>> 24] + HEX[(n >>> 16) & 0xff] + HEX[(n >>> 8) & 0xff] + HEX[n & 0xff];
}

/** 16 hex digits whose byte order is numeric order (IEEE-754 bits, sign flipped, negatives inverted). */
export function encodeNumber(x: number): string {
  float[0] = x === 0 ? 0 : x; // -0 sorts with 0
  let hi = words[HI];
  let lo = words[LO];
  if (hi & 0x80000000) {
    hi = ~hi >>> 0;
    lo = ~lo >>> 0;
  } else {
    hi = (hi | 0x80000000) >>> 0;
  }
  return hex32(hi) + hex32(lo);
}

export function decodeNumber(text: string, at = 0): number {
  let hi = parseInt(text.slice(at, at + 8), 16) >>> 0;
  let lo = parseInt(text.slice(at + 8, at + 16), 16) >>> 0;
  if (hi & 0x80000000) {
    hi = (hi & 0x7fffffff) >>> 0;
  } else {
    hi = ~hi >>> 0;
    lo = ~lo >>> 0;
  }
  words[HI] = hi;
  words[LO] = lo;
  return float[0];
}

/** The UTF-8 bytes of s in hex, then '!': byte order is code point order, and a prefix sorts first. */
export function encodeString(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out += HEX[c];
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate, as TextEncoder does
    if (c < 0x800) out += HEX[0xc0 | (c >> 6)] + HEX[0x80 | (c & 0x3f)];
    else if (c < 0x10000) out += HEX[0xe0 | (c >> 12)] + HEX[0x80 | ((c >> 6) & 0x3f)] + HEX[0x80 | (c & 0x3f)];
    else out += HEX[0xf0 | (c >> 18)] + HEX[0x80 | ((c >> 12) & 0x3f)] + HEX[0x80 | ((c >> 6) & 0x3f)] + HEX[0x80 | (c & 0x3f)];
  }
  return out + "!";
}

const decoder = new TextDecoder();

/** Decodes an encodeString at `at`; returns the string and the index after its '!'. */
export function decodeString(text: string, at: number): [string, number] {
  const end = text.indexOf("!", at);
  if (end < 0) throw new Error(`corrupt online state: unterminated string at ${at}`);
  const bytes = new Uint8Array((end - at) / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(at + 2 * i, at + 2 * i + 2), 16);
  return [decoder.decode(bytes), end + 1];
}

export type KeyPartType = "string" | "int" | "float" | "bool" | "timestamp";

// ---- building a whole sort key in one buffer (the push hot path): one flat string per key ----

const HEX_BYTES = new Uint8Array(512);
for (let i = 0; i < 256; i++) {
  HEX_BYTES[2 * i] = HEX[i].charCodeAt(0);
  HEX_BYTES[2 * i + 1] = HEX[i].charCodeAt(1);
}
const floatBytes = new Uint8Array(float.buffer);
const SIGN_BYTE = LITTLE_ENDIAN ? 7 : 0;
const STEP = LITTLE_ENDIAN ? -1 : 1;
let keyBuffer = Buffer.allocUnsafe(256);

function putNumber(x: number, at: number): number {
  float[0] = x === 0 ? 0 : x;
  const negative = (floatBytes[SIGN_BYTE] & 0x80) !== 0;
  for (let k = 0, b = SIGN_BYTE; k < 8; k++, b += STEP) {
    const byte = negative ? 255 - floatBytes[b] : k === 0 ? floatBytes[b] | 0x80 : floatBytes[b];
    keyBuffer[at++] = HEX_BYTES[2 * byte];
    keyBuffer[at++] = HEX_BYTES[2 * byte + 1];
  }
  return at;
}

/** ASCII strings only (the common case); -1 asks the caller for the general path. */
function putAsciiString(s: string, at: number): number {
  if (at + 2 * s.length + 1 > keyBuffer.length) return -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return -1;
    keyBuffer[at++] = HEX_BYTES[2 * c];
    keyBuffer[at++] = HEX_BYTES[2 * c + 1];
  }
  keyBuffer[at++] = 0x21; // '!'
  return at;
}

export interface KeyPart {
  index: number;
  type: KeyPartType;
  nullable: boolean;
}

/**
 * The sort key of a row of values: encodeNumber(ts) then encodeKeyPart of each order column, the
 * same text as concatenating those, built in one buffer.
 */
export function encodeOrderKey(values: readonly Scalar[], tsIndex: number, parts: readonly KeyPart[]): string {
  if (keyBuffer.length < 64 + 34 * parts.length) keyBuffer = Buffer.allocUnsafe(64 + 34 * parts.length);
  let at = putNumber(values[tsIndex] as number, 0);
  for (const p of parts) {
    const v = values[p.index];
    if (v === null) {
      keyBuffer[at++] = 0x30; // '0'
      continue;
    }
    if (p.nullable) keyBuffer[at++] = 0x31; // '1'
    if (p.type === "string") {
      at = putAsciiString(v as string, at);
      if (at < 0) return encodeOrderKeyByParts(values, tsIndex, parts);
    } else if (p.type === "bool") {
      keyBuffer[at++] = v ? 0x31 : 0x30;
    } else {
      at = putNumber(v as number, at);
    }
  }
  return keyBuffer.toString("latin1", 0, at);
}

function encodeOrderKeyByParts(values: readonly Scalar[], tsIndex: number, parts: readonly KeyPart[]): string {
  let key = encodeNumber(values[tsIndex] as number);
  for (const p of parts) key += encodeKeyPart(values[p.index], p.type, p.nullable);
  return key;
}

/**
 * One component of a sort key, for a column of the given type. Nullable columns get a presence
 * digit first ('0' null, '1' present), so null sorts before every value (NULLS FIRST).
 */
export function encodeKeyPart(value: Scalar, type: KeyPartType, nullable: boolean): string {
  if (value === null) return "0";
  const body = type === "string" ? encodeString(value as string) : type === "bool" ? (value ? "1" : "0") : encodeNumber(value as number);
  return nullable ? "1" + body : body;
}

/** The sort key of a value for min/max: same byte order as compareScalars on values of one type. */
export function encodeValueKey(value: string | number | boolean): string {
  return typeof value === "string" ? encodeString(value) : typeof value === "boolean" ? (value ? "1" : "0") : encodeNumber(value);
}

/**
 * A payload as ASCII text: per value a tag ('0' null, '1' false, '2' true, '3' number + 16 hex,
 * '4' string + hex + '!'). Exact (doubles keep every bit) and ordered (byte order is a total order
 * on payloads, used to break ties between entries with equal keys).
 */
export function encodePayload(values: Payload): string {
  let out = "";
  for (const v of values) {
    if (v === null) out += "0";
    else if (v === false) out += "1";
    else if (v === true) out += "2";
    else if (typeof v === "number") out += "3" + encodeNumber(v);
    else out += "4" + encodeString(v);
  }
  return out;
}

export function decodePayload(text: string): Scalar[] {
  const out: Scalar[] = [];
  let i = 0;
  while (i < text.length) {
    const tag = text[i++];
    if (tag === "0") out.push(null);
    else if (tag === "1") out.push(false);
    else if (tag === "2") out.push(true);
    else if (tag === "3") {
      out.push(decodeNumber(text, i));
      i += 16;
    } else if (tag === "4") {
      const [s, next] = decodeString(text, i);
      out.push(s);
      i = next;
    } else {
      throw new Error(`corrupt online state: unknown payload tag ${JSON.stringify(tag)} at ${i - 1}`);
    }
  }
  return out;
}
