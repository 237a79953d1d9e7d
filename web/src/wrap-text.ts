// Names and e-mail addresses that may not fit a narrow column: offer line breaks after "@" and
// before "." (word break opportunities), so "jeanne@client.fr" wraps as "jeanne@ / client.fr"
// rather than mid-word; CSS breaks inside a word only if one part alone is still too wide.
import { h } from './dom.ts';

export function breakable(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const parts = text.split(/(?<=@)|(?=\.)/);
  parts.forEach((part, i) => {
    if (i > 0) fragment.append(h('wbr'));
    fragment.append(part);
  });
  return fragment;
}
