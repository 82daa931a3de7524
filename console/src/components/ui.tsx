import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../lib/api.ts';
import type { Pagination } from '../lib/api-types.ts';
import { json, label } from '../lib/format.ts';

/** The API's error message (and code, field and request id), or a plain message for anything else. */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const e = error instanceof ApiError ? error : undefined;
  const message = e?.message ?? (error instanceof Error ? error.message : String(error));
  return (
    <div class="notice notice-error" role="alert">
      <strong>{title ?? 'The request failed'}: </strong>
      <span class="error-message">{message}</span>
      {e && (
        <span class="error-meta">
          {' '}
          ({e.code}
          {e.field ? `, field ${e.field}` : ''}
          {e.requestId ? `, request ${e.requestId}` : ''})
        </span>
      )}
      {e && e.issues.length > 1 && (
        <ul>
          {e.issues.map((issue, i) => (
            <li key={i}>{issue.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function Status({ value }: { value: string | null | undefined }) {
  if (!value) return <span class="muted">—</span>;
  return <span class={`badge status-${value}`}>{label(value)}</span>;
}

export function Json({ value, label: name }: { value: unknown; label: string }) {
  return (
    <pre class="json" tabIndex={0} aria-label={name}>
      {json(value)}
    </pre>
  );
}

/** A secret the API shows exactly once (webhook signing secret, API key, OAuth client secret). */
export function OneTimeSecret({ name, value, onDone }: { name: string; value: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="notice notice-secret" role="status" data-testid="one-time-secret">
      <p>
        <strong>{name}</strong> — shown this once; store it now. Stepwise keeps only a hash.
      </p>
      <code class="secret">{value}</code>
      <div class="row">
        <button
          type="button"
          onClick={() => {
            void navigator.clipboard?.writeText(value).then(() => setCopied(true), () => setCopied(false));
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" class="secondary" onClick={onDone}>
          I have stored it
        </button>
      </div>
    </div>
  );
}

export function Pager({ pagination, offset, onOffset, what }: { pagination: Pagination; offset: number; onOffset: (offset: number) => void; what: string }) {
  const { total, limit, has_more: hasMore } = pagination;
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(offset + limit, total);
  return (
    <nav class="pager" aria-label={`${what} pages`}>
      <span>
        {from}–{to} of {total}
      </span>
      <button type="button" class="secondary" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>
        Previous
      </button>
      <button type="button" class="secondary" disabled={!hasMore} onClick={() => onOffset(offset + limit)}>
        Next
      </button>
    </nav>
  );
}

/** A horizontally scrollable region (wide tables on a phone) that keyboard users can scroll too. */
export function Scroll({ label: name, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="scroll" role="region" aria-label={name} tabIndex={0}>
      {children}
    </div>
  );
}

/** One of `options`, shown in words; `any` first when the choice may be left open (a filter). */
export function Choice({ value, options, onChange, any }: { value: string; options: readonly string[]; onChange: (value: string) => void; any?: boolean }) {
  return (
    <select value={value} onChange={(e) => onChange(e.currentTarget.value)}>
      {any && <option value="">any</option>}
      {options.map((o) => (
        <option key={o} value={o}>
          {label(o)}
        </option>
      ))}
    </select>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <header class="page-header">
      <h1 tabIndex={-1} id="page-title">
        {title}
      </h1>
      {children && <div class="actions">{children}</div>}
    </header>
  );
}

/**
 * A text filter: what is typed stays in the box while the list reloads (a re-render never wipes
 * it), and is applied once typing pauses, on Enter, or when the box loses focus.
 */
export function FilterInput({ value, onApply, placeholder }: { value: string; onApply: (value: string) => void; placeholder?: string }) {
  const [draft, setDraft] = useState(value);
  // The latest props, so a timer set a moment ago applies against the filters as they are now.
  const latest = useRef({ value, onApply, draft });
  latest.current = { value, onApply, draft };
  const apply = () => {
    const { value: applied, onApply: change, draft: typed } = latest.current;
    if (typed.trim() !== applied) change(typed.trim());
  };
  // A layout effect: it runs with its own render, never late over keys typed since.
  useLayoutEffect(() => setDraft(value), [value]);
  useEffect(() => {
    const timer = setTimeout(apply, 400);
    return () => clearTimeout(timer);
  }, [draft]);
  return <input placeholder={placeholder} value={draft} onInput={(e) => setDraft(e.currentTarget.value)} onChange={apply} />;
}
