import { installCodeMirrorStyles } from './codemirror-styles.ts';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { useLayoutEffect, useRef } from 'preact/hooks';

export type { Diagnostic };

/** The editor's look, in CodeMirror's own theme system (its styles reach the page through codemirror-styles.ts). */
const theme = EditorView.theme({
  '&': { backgroundColor: '#ffffff', color: '#1a1d23', minHeight: '18rem', maxHeight: '60vh', border: '1px solid #8a919c', borderRadius: '6px' },
  '&.cm-focused': { outline: '3px solid #f0a500', outlineOffset: '2px' },
  '.cm-scroller': { fontFamily: "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace", fontSize: '0.88rem', lineHeight: '1.5' },
  '.cm-gutters': { backgroundColor: '#f1f2f5', color: '#4b515b', borderRight: '1px solid #d5d9e0' },
  '.cm-activeLine': { backgroundColor: '#f3f6fc' },
  '.cm-activeLineGutter': { backgroundColor: '#e3ecfb' },
});

/**
 * Text typed or inserted over a selection, or several lines inserted at once (a test's fill, a
 * dictation), goes through a CodeMirror transaction instead of the browser's own editing. The
 * browser, replacing highlighted text, keeps its look by wrapping the new text in elements with
 * `style` attributes, which the console's policy refuses (style-src 'self', docs/deploy.md#console);
 * CodeMirror would redraw the line from its state anyway. Single characters typed at the cursor and
 * IME composition stay native, as CodeMirror expects.
 */
function domRange(event: InputEvent, view: EditorView): { from: number; to: number } {
  const target = event.getTargetRanges()[0];
  if (target) return { from: view.posAtDOM(target.startContainer, target.startOffset), to: view.posAtDOM(target.endContainer, target.endOffset) };
  const selection = document.getSelection();
  if (selection?.anchorNode && selection.focusNode && view.contentDOM.contains(selection.anchorNode) && view.contentDOM.contains(selection.focusNode)) {
    return { from: view.posAtDOM(selection.anchorNode, selection.anchorOffset), to: view.posAtDOM(selection.focusNode, selection.focusOffset) };
  }
  return view.state.selection.main;
}

const replaceInsertions = EditorView.domEventHandlers({
  beforeinput(event, view) {
    if (event.inputType !== 'insertText' || view.composing || event.data === null) return false;
    // The range the browser is about to replace, from the DOM: CodeMirror may not have read a selection made a moment ago yet.
    const range = domRange(event, view);
    if (range.from === range.to && !event.data.includes('\n')) return false;
    event.preventDefault();
    const from = Math.min(range.from, range.to);
    view.dispatch({ changes: { from, to: Math.max(range.from, range.to), insert: event.data }, selection: { anchor: from + event.data.length }, userEvent: 'input.type', scrollIntoView: true });
    return true;
  },
});

/**
 * A CodeMirror 6 editor for YAML or JSON. Tab is left to the browser (moving focus), so keyboard
 * users are never trapped; issues appear as diagnostics at the text they are about.
 */
export default function CodeEditor({
  value,
  onChange,
  language,
  diagnostics,
  label,
  id,
}: {
  value: string;
  onChange: (value: string) => void;
  language: 'yaml' | 'json';
  diagnostics: Diagnostic[];
  label: string;
  id?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | undefined>(undefined);
  const lang = useRef(new Compartment());
  const changed = useRef(onChange);
  changed.current = onChange;
  // The text this editor last reported: a `value` equal to it is the editor's own edit coming back.
  const emitted = useRef(value);

  useLayoutEffect(() => {
    installCodeMirrorStyles();
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          history(),
          indentOnInput(),
          bracketMatching(),
          highlightActiveLine(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          lang.current.of(language === 'json' ? json() : yaml()),
          lintGutter(),
          theme,
          replaceInsertions,
          // tabindex: the text is already focusable (contenteditable); saying so lets checkers see the scrolling editor is keyboard-reachable.
          EditorView.contentAttributes.of({ tabindex: '0', 'aria-label': label, ...(id ? { id } : {}), 'data-testid': 'definition-editor' }),
          EditorView.updateListener.of((update) => {
            if (!update.docChanged) return;
            emitted.current = update.state.doc.toString();
            changed.current(emitted.current);
          }),
        ],
      }),
    });
    view.current = editor;
    return () => editor.destroy();
  }, []);

  // A value replaced from outside (a template, a format switch) replaces the document; the
  // editor's own edits coming back as `value` never do. A layout effect, so it runs with the render
  // it belongs to: Preact runs a plain effect late (after a frame, or at the next render, which a
  // busy browser makes common), and a late one holding an older `value` undid the keys typed since,
  // then the next one redid them, forever.
  useLayoutEffect(() => {
    const editor = view.current;
    if (!editor || value === emitted.current) return;
    emitted.current = value;
    if (editor.state.doc.toString() !== value) editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
  }, [value]);

  useLayoutEffect(() => {
    view.current?.dispatch({ effects: lang.current.reconfigure(language === 'json' ? json() : yaml()) });
  }, [language]);

  useLayoutEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const length = editor.state.doc.length;
    const clamped = diagnostics.map((d) => ({ ...d, from: Math.min(d.from, length), to: Math.min(Math.max(d.to, d.from), length) }));
    editor.dispatch(setDiagnostics(editor.state, clamped));
  }, [diagnostics]);

  return <div class="code-editor" ref={host} />;
}
