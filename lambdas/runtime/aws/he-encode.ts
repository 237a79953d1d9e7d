// Stands in for the `he` package (85 KB of HTML entity tables, read at every intake cold start) in
// the Lambda bundles (lib/constructs/function-bundle.ts aliases it). mailparser calls only
// he.encode, to write its HTML renderings of headers, addresses and text (textAsHtml); intake reads
// none of them, yet the escaping must stay safe: the same output as he.encode's default (hex
// references for the characters it escapes, the others left as they are). Named references (he's
// `useNamedReferences`) are not used, hex ones being equivalent.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped.
const SPECIAL = /[&<>"'`\t\x01-\x08\x0b\x0c\x0e-\x1f\x7f\x81\x8d\x8f\x90\x9d]|[^\x00-\x9f]/gu;

function encode(text: string, _options?: { useNamedReferences?: boolean }): string {
  return String(text).replace(
    SPECIAL,
    (character) => `&#x${(character.codePointAt(0) ?? 0).toString(16).toUpperCase()};`,
  );
}

export default { encode };
