/**
 * Text that would do something if a page or a terminal treated it as anything but text: markup,
 * script URLs, bidirectional overrides, controls, a lone surrogate. The node suite stores and
 * returns each byte for byte; the browser suite shows each as inert text.
 */
export const hostileTexts = {
  script: '<script>window.__earmarkPwned = "script"; alert("script")</script>',
  imgOnerror: "<img src=x onerror=\"window.__earmarkPwned = 'img'; alert('img')\">",
  javascriptUrl: 'javascript:window.__earmarkPwned="url";alert(document.domain)',
  markupLink:
    '<a href="javascript:alert(1)" id="hostile-link">open the door</a><iframe src="javascript:alert(2)"></iframe>',
  bidi: 'set a timer for \u202eten minutes\u202c then \u2067call mum\u2069 \u200fnow\u202d lrm',
  rtlOverrideOnly: '\u202eturn off the lights',
  controls: 'zero\u0000byte bell\u0007 escape\u001b[31mred\u001b[0m tab\there',
  template: '{{constructor.constructor("window.__earmarkPwned=\'tpl\'")()}} ${7*7} $t(review.transcript)',
  loneSurrogate: 'half a pair \ud83d then more',
} as const;

export type HostileTextName = keyof typeof hostileTexts;

/** One line of about a megabyte: words and markup, no line break. */
export function megabyteLine(): string {
  const unit = 'play <b>some</b> jazz &amp; javascript:alert(1) \u202e ';
  return unit.repeat(Math.ceil((1024 * 1024) / unit.length)).slice(0, 1024 * 1024);
}
