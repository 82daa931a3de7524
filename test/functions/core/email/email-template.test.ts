import { describe, expect, it } from 'vitest';
import { escapeHtml, isEmailAddress, placeholdersOf, renderEmail } from '../../../../functions/core/email/email-template.ts';

describe('renderEmail', () => {
  const template = { subject: 'Hi {{ name }}', text: '{{name}} / {{user.plan}} / {{missing}}', html: '<a title="{{name}}">{{ user.plan }}</a>' };

  it('fills plain and dotted placeholders, a missing one with nothing, objects as JSON', () => {
    expect(renderEmail(template, { name: 'Ada', user: { plan: 'pro' } })).toEqual({ subject: 'Hi Ada', text: 'Ada / pro / ', html: '<a title="Ada">pro</a>' });
    expect(renderEmail({ subject: 's', text: '{{tags}}', html: '' }, { tags: ['a', 'b'] }).text).toBe('["a","b"]');
  });

  it('escapes values in the HTML body only, and a value cannot add a header line to the subject', () => {
    const out = renderEmail(template, { name: '"><script>x</script>\r\nBcc: eve@example.com', user: { plan: "<b>&'" } });
    expect(out.html).toBe('<a title="&quot;&gt;&lt;script&gt;x&lt;/script&gt;\r\nBcc: eve@example.com">&lt;b&gt;&amp;&#39;</a>');
    expect(out.subject).toBe('Hi "><script>x</script> Bcc: eve@example.com');
    expect(out.subject).not.toMatch(/[\r\n]/);
  });

  it('does not reach into prototypes', () => {
    expect(renderEmail({ subject: '{{constructor}}{{__proto__.x}}', text: '', html: '' }, {}).subject).toBe('');
  });

  it('lists placeholders; escapes; checks addresses', () => {
    expect(placeholdersOf(template.text)).toEqual(['name', 'user.plan', 'missing']);
    expect(escapeHtml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&#39;');
    expect(isEmailAddress('ada@example.com')).toBe(true);
    for (const bad of ['ada', 'ada@example', 'a b@example.com', 'ada@example.com\r\nBcc: x@y.z', '<a@b.c>', 42, undefined]) expect(isEmailAddress(bad), String(bad)).toBe(false);
  });
});
