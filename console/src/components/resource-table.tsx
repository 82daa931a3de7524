import type { ComponentChildren, TdHTMLAttributes } from 'preact';
import type { Page } from '../lib/api-types.ts';
import type { Resource } from '../lib/hooks.ts';
import { Empty, ErrorNotice, Loading, Pager, Scroll } from './ui.tsx';

export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => ComponentChildren;
  /** A cell of buttons: laid out in a row. */
  readonly actions?: boolean;
  /** Attributes of the cell (the browser tests read some cells by test id). */
  readonly attrs?: (row: T) => TdHTMLAttributes<HTMLTableCellElement> & Record<`data-${string}`, string>;
}

export interface Paging {
  readonly offset: number;
  readonly onOffset: (offset: number) => void;
}

/**
 * One list the API answered, as a table in a scrollable region, with the states every list has:
 * the API's error, loading until the first answer, and a message when it is empty. `what` names
 * the list in those states ("Could not list API keys") and labels the region ("API keys table").
 */
export function ResourceTable<T>({
  resource,
  what,
  empty,
  columns,
  rowKey,
  rowAttrs,
  paging,
}: {
  resource: Resource<Page<T>>;
  what: string;
  empty: ComponentChildren;
  columns: readonly Column<T>[];
  rowKey: (row: T) => string | number;
  rowAttrs?: (row: T) => Record<string, string>;
  paging?: Paging;
}) {
  const page = resource.data;
  const title = what.charAt(0).toUpperCase() + what.slice(1);
  return (
    <>
      <ErrorNotice error={resource.error} title={`Could not list ${what}`} />
      {resource.loading && !page && <Loading what={what} />}
      {page?.data.length === 0 && <Empty>{empty}</Empty>}
      {page && page.data.length > 0 && (
        <>
          <Scroll label={`${title} table`}>
            <table>
              <thead>
                <tr>
                  {columns.map((c) => (
                    <th key={c.header} scope="col">
                      {c.header}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {page.data.map((row) => (
                  <tr key={rowKey(row)} {...rowAttrs?.(row)}>
                    {columns.map((c) => (
                      <td key={c.header} class={c.actions ? 'row' : undefined} {...c.attrs?.(row)}>
                        {c.cell(row)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
          {paging && <Pager what={title} pagination={page.pagination} offset={paging.offset} onOffset={paging.onOffset} />}
        </>
      )}
    </>
  );
}
