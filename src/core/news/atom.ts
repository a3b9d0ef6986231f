/**
 * The news feed (发布动态) as Atom 1.0 (RFC 4287): one entry per release note and
 * announcement, newest first, in the requested language. Text is escaped as XML character
 * data (entries are `type="text"`: never markup). Pure.
 */

export interface FeedEntry {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly published_at: string;
  /** Absolute URL of the page to read it on. */
  readonly link: string;
}

const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
  // Characters XML 1.0 does not allow (control characters other than tab and line breaks).
  .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');

export function atomFeed(feed: { readonly id: string; readonly title: string; readonly self: string; readonly alternate: string; readonly author: string; readonly lang: 'zh' | 'en'; readonly entries: readonly FeedEntry[] }): string {
  const updated = feed.entries.map((e) => e.published_at).sort().at(-1) ?? '1970-01-01T00:00:00.000Z';
  const entries = feed.entries.map((e) => [
    '  <entry>',
    `    <id>${xml(e.id)}</id>`,
    `    <title type="text">${xml(e.title)}</title>`,
    `    <link rel="alternate" href="${xml(e.link)}"/>`,
    `    <published>${xml(e.published_at)}</published>`,
    `    <updated>${xml(e.published_at)}</updated>`,
    `    <content type="text">${xml(e.body)}</content>`,
    '  </entry>',
  ].join('\n'));
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${feed.lang === 'zh' ? 'zh-CN' : 'en'}">`,
    `  <id>${xml(feed.id)}</id>`,
    `  <title type="text">${xml(feed.title)}</title>`,
    `  <updated>${xml(updated)}</updated>`,
    `  <author><name>${xml(feed.author)}</name></author>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(feed.self)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xml(feed.alternate)}"/>`,
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}
