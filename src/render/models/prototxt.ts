/**
 * A parser for protobuf text format as used by Caffe .prototxt files: `key: value` pairs and
 * `key { ... }` messages, `#` comments. Repeated keys collect into arrays. Written here because
 * text format needs the message schema in protobufjs, and a .prototxt only needs this much.
 */
export type TextValue = string | number | boolean | TextMessage;
export interface TextMessage {
  [key: string]: TextValue[];
}

export function parsePrototxt(text: string): TextMessage {
  const tokens = tokenize(text);
  let pos = 0;
  const parseMessage = (closing: boolean): TextMessage => {
    const msg: TextMessage = {};
    while (pos < tokens.length) {
      const t = tokens[pos];
      if (t === '}') {
        if (!closing) throw new SyntaxError('unexpected "}"');
        pos += 1;
        return msg;
      }
      const key = t;
      if (!/^[A-Za-z_][\w.]*$/.test(key)) throw new SyntaxError(`expected a field name, found "${key}"`);
      pos += 1;
      if (tokens[pos] === ':') pos += 1;
      let value: TextValue;
      if (tokens[pos] === '{') {
        pos += 1;
        value = parseMessage(true);
      } else {
        const raw = tokens[pos++];
        if (raw === undefined) throw new SyntaxError(`missing value for "${key}"`);
        value = scalar(raw);
      }
      (msg[key] ??= []).push(value);
    }
    if (closing) throw new SyntaxError('missing "}"');
    return msg;
  };
  return parseMessage(false);
}

function scalar(raw: string): TextValue {
  if (raw.startsWith('"') || raw.startsWith("'")) return raw.slice(1, -1);
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  const n = Number(raw);
  return Number.isFinite(n) ? n : raw;
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /\s+|#[^\n]*|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[{}:]|[^\s{}:#"']+/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const t = m[0];
    if (/^\s/.test(t) || t.startsWith('#')) continue;
    tokens.push(t);
  }
  if (re.lastIndex !== 0 && re.lastIndex < text.length) throw new SyntaxError(`cannot read text at offset ${re.lastIndex}`);
  return tokens;
}

export function first<T extends TextValue>(msg: TextMessage | undefined, key: string): T | undefined {
  return msg?.[key]?.[0] as T | undefined;
}
